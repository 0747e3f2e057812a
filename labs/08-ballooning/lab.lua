-- Lab 08: ballooning — the lecture's browser example on a simulated ESXi host, the
-- balloon's cap, and VMs without a balloon driver. Verdicts come from the host.
local answer = lab.submission("answer.lua")

local bytes_of = lab.size_of
local function size_of(name) return lab.answer_bytes(answer, name) end

-- An 8 GiB host: a desktop (4 GiB) where a browser allocates 2 GiB and is closed, a
-- kiosk (2 GiB) without VMware Tools, and a hog (6 GiB) that then allocates 5 GiB.
local h = lab.host{ name = "esx01", cpus = 8, memory = "8 GiB" }
local desktop = h:create_vm{ name = "desktop", memory = "4 GiB", guest = "ubuntu-22.04" }
local kiosk = h:create_vm{ name = "kiosk", memory = "2 GiB", guest = "ubuntu-22.04", tools = false }
local hog = h:create_vm{ name = "hog", memory = "6 GiB", guest = "ubuntu-22.04" }
for _, vm in ipairs({ desktop, kiosk, hog }) do vm:power_on() end
desktop.guest:touch("1 GiB")
kiosk.guest:touch("1 GiB")
desktop:run(lab.workload.memory{ size = "2 GiB", active = "1 GiB", rate = "512 MiB/s" })
lab.run_for("5 min")
desktop:stop()   -- the browser closes
local consumed_after_close = desktop.memory.consumed
local free_list_before = desktop.guest.free_list

hog:run(lab.workload.memory{ size = "5 GiB", active = "3 GiB", rate = "16 MB/s" })
lab.run_until(function() return desktop.memory.ballooned > 0 or hog.memory.ballooned > 0 end, "30 min")
local state_when_ballooning_began = h.memory.state
lab.run_for("15 min")

check("the browser example", { number = "1", points = 1,
  hint = "Pages the guest frees go to its free list; the host cannot see that they are free." }, function()
  expect(size_of("consumed_after_close"), "desktop's consumed memory after the browser closed", "bytes")
    :to_equal(consumed_after_close)
end)

check("when ballooning begins", { number = "2", points = 1,
  hint = "Each free-memory state enables more reclamation: sharing, then ballooning, then compression and swapping." }, function()
  expect(answer.balloon_state, "M.balloon_state"):to_be_set()
  expect(answer.balloon_state, "the state in which the host starts inflating balloons"):to_equal(state_when_ballooning_began)
end)

check("where the desktop's balloon pages come from", { number = "3", points = 2,
  hint = "The balloon driver allocates guest memory like any program: the guest hands out free pages first." }, function()
  expect(desktop.memory.ballooned, "desktop's balloon"):to_be_at_least(1)
  local truth = (desktop.guest.swapped == 0 and desktop.guest.free_list < free_list_before) and "free list" or "guest swap"
  expect(answer.balloon_pages_from, "M.balloon_pages_from"):to_equal(truth)
  expect(size_of("desktop_guest_swapped"), "what the desktop's guest paged out", "bytes"):to_equal(desktop.guest.swapped)
end)

-- max_balloon(configured, reservation, max_balloon, tools) on a roomy host
local roomy = lab.host{ name = "esx02", cpus = 8, memory = "64 GiB" }
local cases = {
  { "4 GiB", 0, nil, true }, { "4 GiB", "2 GiB", nil, true }, { "8 GiB", 0, "1 GiB", true },
  { "8 GiB", "6 GiB", "4 GiB", true }, { "2 GiB", 0, nil, false },
}
for i, c in ipairs(cases) do
  local vm = roomy:create_vm{ name = "cap" .. i, memory = c[1], tools = c[4], mem = { reservation = c[2], max_balloon = c[3] } }
  vm:power_on()
  c.vm = vm
end

check("the balloon's cap: max_balloon(configured, reservation, max_balloon, tools)", { number = "4", points = 3,
  hint = "min(Mem.CtlMaxPercent (65 %) × configured, sched.mem.maxmemctl, configured − reservation); no driver, no balloon." },
  function()
  expect(answer.max_balloon, "M.max_balloon"):to_be_set()
  local right = 0
  for _, c in ipairs(cases) do
    local args = { lab.bytes(c[1]), c[2] == 0 and 0 or lab.bytes(c[2]), c[3] and lab.bytes(c[3]) or nil, c[4] }
    local ok, got = pcall(answer.max_balloon, args[1], args[2], args[3], args[4])
    local b = ok and bytes_of(got) or nil
    if b and math.abs(b - c.vm.memory.max_balloon) <= 4096 then
      right = right + 1
    else
      print(("max_balloon(%s, %s, %s, %s): the host allows %s, you said %s"):format(c[1], tostring(c[2]), tostring(c[3]),
        tostring(c[4]), lab.format.bytes(c.vm.memory.max_balloon), ok and tostring(got) or ("an error: " .. tostring(got))))
    end
  end
  partial(right / #cases)
  expect(right, "cases answered right"):to_equal(#cases)
end)

check("a VM without VMware Tools", { number = "5", points = 1,
  hint = "The balloon is a driver inside the guest." }, function()
  expect(size_of("kiosk_ballooned"), "the kiosk's largest balloon", "bytes"):to_equal(lab.series(kiosk, "memory.ballooned"):max())
end)
