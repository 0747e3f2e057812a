-- Lab 01: lazy allocation — provisioned, consumed and active memory.
-- Every answer is compared with what the simulated host's counters show for the same
-- scenario, so the verdict comes from the model, never from what the submission prints.
local answer = lab.submission("answer.lua")

local GiB = lab.bytes("1 GiB")

-- A size answer (bytes or a string such as "1.5 GiB"); the check fails when it is missing.
local function size_of(name) return lab.answer_bytes(answer, name) end

-- The lecture's scenario: a 4 GiB desktop VM on a 16 GiB host.
local esx = lab.host{ name = "esx01", cpus = 4, mhz = "2.4 GHz", memory = "16 GiB" }
local desktop = esx:create_vm{ name = "desktop", vcpus = 2, memory = "4 GiB", guest = "linux" }
desktop:power_on()

check("provisioned memory", { number = "1", points = 1,
  hint = "Provisioned (configured) memory is the size the guest believes it has." }, function()
  expect(size_of("provisioned"), "provisioned memory", "bytes"):to_equal(desktop.memory.provisioned)
end)

check("consumed right after power-on", { number = "2", points = 1,
  hint = "The host backs a guest page only when the guest first writes it." }, function()
  expect(size_of("consumed_at_power_on"), "consumed memory at power-on", "bytes"):to_equal(desktop.memory.consumed)
end)

-- The guest OS boots and writes 1.5 GiB.
desktop.guest:touch("1.5 GiB")

check("consumed after the guest booted", { number = "3", points = 2 }, function()
  expect(size_of("consumed_after_boot"), "consumed memory after boot", "bytes"):to_equal(desktop.memory.consumed)
end)

-- The browser example: a browser allocates 2 GiB and keeps 1 GiB of it busy; then it closes.
local browser = desktop:run(lab.workload.memory{ size = "2 GiB", active = "1 GiB", rate = "512 MiB/s" })
lab.run_for("10 min")
local active_with_browser = desktop.memory.active
desktop:stop()

check("consumed after the browser closed", { number = "4", points = 2,
  hint = "Freed guest memory goes to the guest's free list, which the host cannot see." }, function()
  expect(browser.allocated, "memory the browser allocated", "bytes"):to_equal(2 * GiB)
  expect(size_of("consumed_after_close"), "consumed memory after the browser closed", "bytes")
    :to_equal(desktop.memory.consumed)
end)

check("guest memory in use after the browser closed", { number = "5", points = 1 }, function()
  expect(size_of("guest_used_after_close"), "memory the guest uses", "bytes"):to_equal(desktop.guest.used)
end)

check("active memory while the browser ran", { number = "6", points = 2,
  hint = "Active memory estimates the working set: what the guest keeps touching." }, function()
  expect(size_of("active_with_browser"), "active memory with the browser open", "bytes")
    :to_be_near(active_with_browser, "10%")
end)

lab.run_for("1 min")
local active_a_minute_later = desktop.memory.active

check("active memory after the browser closed", { number = "7", points = 1,
  hint = "The estimate rises within a sample period and falls over several." }, function()
  expect(answer.active_falls, "M.active_falls"):to_be_set()
  local expected = active_a_minute_later > active_with_browser / 2 and "slowly" or "at once"
  expect(answer.active_falls, "how active memory falls"):to_equal(expected)
end)

-- The guest allocates 1 GiB again: it reuses its free list before touching new pages.
desktop.guest:touch("1 GiB")

check("consumed after the guest allocates again", { number = "8", points = 2,
  hint = "A guest reuses pages from its free list before it writes new ones." }, function()
  expect(size_of("consumed_after_reuse"), "consumed memory after the new allocation", "bytes")
    :to_equal(desktop.memory.consumed)
end)

-- reclaimable(vm) is tried on VMs in several states; each right answer earns a share.
local esx2 = lab.host{ name = "esx02", cpus = 8, memory = "64 GiB" }
local function scenario(name, touch, free, on)
  local vm = esx2:create_vm{ name = name, memory = "8 GiB" }
  vm:power_on()
  if touch then vm.guest:touch(touch) end
  if free then vm.guest:free(free) end
  if not on then vm:power_off() end
  return vm
end
local cases = {
  scenario("fresh", nil, nil, true),
  scenario("busy", "6 GiB", nil, true),
  scenario("browser", "5 GiB", "2 GiB", true),
  scenario("emptied", "3 GiB", "3 GiB", true),
  scenario("stopped", "4 GiB", "1 GiB", false),
}

check("reclaimable(vm)", { number = "9", points = 3,
  hint = "Memory the host backs that the guest does not use: consumed minus what the guest uses." }, function()
  expect(answer.reclaimable, "M.reclaimable"):to_be_set()
  local right = 0
  for _, vm in ipairs(cases) do
    local truth = vm.memory.consumed - vm.guest.used
    local ok, got = pcall(answer.reclaimable, vm)
    if ok and type(got) == "number" and got == truth then
      right = right + 1
    else
      print(string.format("reclaimable(%s): expected %s, got %s", vm.name, lab.format.bytes(truth),
        ok and (type(got) == "number" and lab.format.bytes(got) or tostring(got)) or ("an error: " .. tostring(got))))
    end
  end
  partial(right / #cases)
  expect(right, "VMs answered right"):to_equal(#cases)
end)

check("the counter that shows what the guest needs now", { number = "10", points = 1 }, function()
  expect(answer.working_set_counter, "M.working_set_counter"):to_equal("active")
end)
