-- Lab 01: lazy allocation — provisioned, consumed and active memory.
-- Every answer is compared with what the simulated host's counters show for the same
-- scenario, so the verdict comes from the model, never from what the submission prints.
local answer = lab.submission("answer.lua", { simulate = false })

local GiB = lab.bytes("1 GiB")

-- A size answer (bytes or a string such as "1.5 GiB"); the check fails when it is missing.
local function size_of(name) return lab.answer_bytes(answer, name) end

-- The lecture's scenario: a 4 GiB desktop VM on a 16 GiB host.
local esx = lab.host{ name = "esx01", cpus = 4, mhz = "2.4 GHz", memory = "16 GiB" }
local desktop = esx:create_vm{ name = "desktop", vcpus = 2, memory = "4 GiB", guest = "linux" }
desktop:power_on()

check("provisioned memory", { number = "1", points = 1,
  hint = "Provisioned memory does not depend on what the guest has done so far." }, function()
  expect(size_of("provisioned"), "M.provisioned", "bytes"):to_equal(desktop.memory.provisioned)
end)

check("consumed right after power-on", { number = "2", points = 1,
  hint = "When does the host back a guest page with machine memory?" }, function()
  expect(size_of("consumed_at_power_on"), "M.consumed_at_power_on", "bytes"):to_equal(desktop.memory.consumed)
end)

-- The guest OS boots and writes 1.5 GiB.
desktop.guest:touch("1.5 GiB")

check("consumed after the guest booted", { number = "3", points = 2,
  hint = "What has the guest written so far?" }, function()
  expect(size_of("consumed_after_boot"), "M.consumed_after_boot", "bytes"):to_equal(desktop.memory.consumed)
end)

-- The browser example: a browser allocates 2 GiB and keeps 1 GiB of it busy; then it closes.
local browser = desktop:run(lab.workload.memory{ size = "2 GiB", active = "1 GiB", rate = "512 MiB/s" })
lab.run_for("10 min")
local active_with_browser = desktop.memory.active
desktop:stop()

check("consumed after the browser closed", { number = "4", points = 2,
  hint = "When the browser frees its memory, who learns of it: the guest, the host, or both?" }, function()
  expect(browser.allocated, "memory the browser allocated", "bytes"):to_equal(2 * GiB)
  expect(size_of("consumed_after_close"), "M.consumed_after_close", "bytes")
    :to_equal(desktop.memory.consumed)
end)

check("guest memory in use after the browser closed", { number = "5", points = 1,
  hint = "This is the guest's own view: what it still holds for its programs." }, function()
  expect(size_of("guest_used_after_close"), "M.guest_used_after_close", "bytes"):to_equal(desktop.guest.used)
end)

check("active memory while the browser ran", { number = "6", points = 2,
  hint = "Active memory estimates the working set, not what was allocated." }, function()
  expect(size_of("active_with_browser"), "M.active_with_browser", "bytes")
    :to_be_near(active_with_browser, "10%")
end)

lab.run_for("1 min")
local active_a_minute_later = desktop.memory.active

check("active memory after the browser closed", { number = "7", points = 1,
  hint = "How is the estimate built from its 60 s samples? See Active memory in docs/memory.md." }, function()
  local falls = lab.answer(answer, "active_falls")
  if type(falls) == "string" then falls = falls:lower():match("^%s*(.-)%s*$") end
  -- the verdict comes from what the estimate did in the minute after the browser closed
  local expected = active_a_minute_later > active_with_browser / 2 and "slowly" or "at once"
  expect(falls, "M.active_falls (\"at once\" or \"slowly\")"):to_equal(expected)
end)

-- The guest allocates 1 GiB again: it reuses its free list before touching new pages.
desktop.guest:touch("1 GiB")

check("consumed after the guest allocates again", { number = "8", points = 2,
  hint = "Where does the guest take the pages for a new allocation from first?" }, function()
  expect(size_of("consumed_after_reuse"), "M.consumed_after_reuse", "bytes")
    :to_equal(desktop.memory.consumed)
end)

-- reclaimable(vm) is tried on VMs in several states; each right answer earns a share.
local esx2 = lab.host{ name = "esx02", cpus = 8, memory = "64 GiB" }
local function scenario(name, touch, free, on, story)
  local vm = esx2:create_vm{ name = name, memory = "8 GiB" }
  vm:power_on()
  if touch then vm.guest:touch(touch) end
  if free then vm.guest:free(free) end
  if not on then vm:power_off() end
  return { vm = vm, story = story }
end
local cases = {
  scenario("fresh", nil, nil, true, "an 8 GiB VM just powered on"),
  scenario("busy", "6 GiB", nil, true, "an 8 GiB VM whose guest wrote 6 GiB"),
  scenario("browser", "5 GiB", "2 GiB", true, "an 8 GiB VM whose guest wrote 5 GiB, then freed 2 GiB"),
  scenario("emptied", "3 GiB", "3 GiB", true, "an 8 GiB VM whose guest wrote 3 GiB, then freed all of it"),
  scenario("stopped", "4 GiB", "1 GiB", false, "an 8 GiB VM that wrote 4 GiB, freed 1 GiB, then was powered off"),
}

-- The student's value as a size for messages, exact when the rounded form would hide a
-- difference. lab.format.bytes is kept to sizes it can show (a petabyte at most).
local function shown(bytes)
  if bytes ~= bytes or math.abs(bytes) >= 2^50 then return ("%g bytes"):format(bytes) end
  local text = lab.format.bytes(bytes)
  if math.abs(bytes) >= 1024 and bytes % (1024 * 1024) ~= 0 then text = text .. (" (%.0f bytes)"):format(bytes) end
  return text
end

check("reclaimable(vm)", { number = "9", points = 3, reveal = "value",
  hint = "Which pages does the host still back after the guest has freed them, and which does the guest still use?" }, function()
  lab.answer(answer, "reclaimable")
  local right = 0
  for _, c in ipairs(cases) do
    local vm = c.vm
    -- the model's own count of guest-freed pages the host still backs
    local truth = vm.guest.free_list
    local ok, got = pcall(answer.reclaimable, vm)
    local bytes = ok and lab.size_of(got) or nil
    if bytes ~= bytes then bytes = nil end  -- NaN is not a size
    if bytes == truth then
      right = right + 1
    else
      local said
      if not ok then said = "failed: " .. tostring(got)
      elseif bytes == nil then
        said = "returned " .. (type(got) == "string" and ("%q"):format(got) or got ~= got and "NaN" or tostring(got))
          .. ", which is not a size (give bytes or a string such as \"1 GiB\")"
      else said = "returned " .. shown(bytes) .. (bytes > truth and " (too high)" or " (too low)") end
      lab.feedback(("reclaimable(%s), %s: %s"):format(vm.name, c.story, said))
      print(("reclaimable(%s): expected %s, got %s"):format(vm.name, shown(truth), bytes and shown(bytes) or tostring(got)))
    end
  end
  partial(right / #cases)
  expect(right, "VMs answered right", "count"):to_equal(#cases)
end)

-- The answer is compared by hash, so this public script does not give it away.
check("the counter that shows what the guest needs now", { number = "10", points = 1,
  hint = "Which counter follows what the guest keeps touching, not what it once wrote?" }, function()
  local counter = lab.answer(answer, "working_set_counter")
  if type(counter) == "string" then counter = counter:lower():match("^%s*(.-)%s*$") end
  expect(counter, "M.working_set_counter (\"provisioned\", \"consumed\" or \"active\")")
    :to_hash("sha256:96879611650f80a81392a52e0db9b0237669087c4518e1c130e541a505e0eeef")
end)
