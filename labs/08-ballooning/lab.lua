-- Lab 08: ballooning — the lecture's browser example on a simulated ESXi host, the
-- balloon's cap, and VMs without a balloon driver. Every verdict comes from the host's
-- counters, series and event log, never from a number written in this script.
local answer = lab.submission("answer.lua", { simulate = false })

-- A size answer: bytes or a string such as "1.5 GiB"; the check fails when it is missing.
local function size_of(name) return lab.answer_bytes(answer, name) end

-- A choice answer in lower case without surrounding spaces; the check fails when it is missing.
local function choice_of(name)
  local v = lab.answer(answer, name)
  if type(v) == "string" then v = v:lower():match("^%s*(.-)%s*$") end
  return v
end

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
  hint = "When the browser frees its memory, who learns of it: the guest, the host, or both?" }, function()
  expect(size_of("consumed_after_close"), "M.consumed_after_close", "bytes"):to_equal(consumed_after_close)
end)

check("when ballooning begins", { number = "2", points = 1,
  hint = "Each free-memory state adds a reclaimer as free memory falls; which one adds the balloon "
    .. "(docs/memory.md, Host memory and its states)?" }, function()
  expect(choice_of("balloon_state"), "M.balloon_state"):to_equal(state_when_ballooning_began)
end)

check("where the desktop's balloon pages come from", { number = "3", points = 2,
  hint = "The balloon driver allocates guest memory like any program would. What does the desktop's guest "
    .. "have on hand once the browser has closed?" }, function()
  expect(desktop.memory.ballooned, "the desktop's balloon (a lab sanity check)", "bytes"):to_be_at_least(1)
  -- the model's own account: did the guest page out, or did its free list shrink?
  local from = (desktop.guest.swapped == 0 and desktop.guest.free_list < free_list_before) and "free list" or "guest swap"
  expect(choice_of("balloon_pages_from"), "M.balloon_pages_from"):to_equal(from)
  expect(size_of("desktop_guest_swapped"), "M.desktop_guest_swapped", "bytes"):to_equal(desktop.guest.swapped)
end)

-- max_balloon(configured, reservation, max_balloon, tools) is tried on five VMs on a roomy
-- host. The submission is asked before the VMs exist, so it cannot read their caps.
local cases = {
  { "4 GiB", 0, nil, true }, { "4 GiB", "2 GiB", nil, true }, { "8 GiB", 0, "1 GiB", true },
  { "8 GiB", "6 GiB", "4 GiB", true }, { "2 GiB", 0, nil, false },
}
local function call_of(c)
  return ("max_balloon(%s, %s, %s, %s)"):format(c[1], c[2] == 0 and "0" or c[2], c[3] or "nil", tostring(c[4]))
end
local found, max_balloon = pcall(function() return answer.max_balloon end)
for _, c in ipairs(cases) do
  if found and type(max_balloon) == "function" then
    c.ok, c.got = pcall(max_balloon, lab.bytes(c[1]), lab.bytes(c[2]), c[3] and lab.bytes(c[3]) or nil, c[4])
  end
end
local roomy = lab.host{ name = "esx02", cpus = 8, memory = "64 GiB" }
for i, c in ipairs(cases) do
  local vm = roomy:create_vm{ name = "cap" .. i, memory = c[1], tools = c[4], mem = { reservation = c[2], max_balloon = c[3] } }
  vm:power_on()
  c.vm = vm
end

-- A size for feedback, with the exact bytes when the rounded form would hide a difference.
local function shown(bytes)
  local text = lab.format.bytes(bytes)
  if bytes % lab.bytes("1 MiB") ~= 0 then text = text .. (" (%.0f bytes)"):format(bytes) end
  return text
end

check("the balloon's cap: max_balloon(configured, reservation, max_balloon, tools)", { number = "4", points = 3,
  reveal = "value",
  hint = "Several settings bound a balloon; for each VM, which one binds first? And what must run inside the guest?" },
  function()
  lab.answer(answer, "max_balloon", "function")
  local right = 0
  for _, c in ipairs(cases) do
    local truth = c.vm.memory.max_balloon
    local bytes = c.ok and lab.size_of(c.got) or nil
    if bytes and math.abs(bytes - truth) <= lab.bytes("1 MiB") then
      right = right + 1
    else
      local said
      if not c.ok then said = "failed: " .. tostring(c.got)
      elseif bytes == nil then
        said = "returned " .. (type(c.got) == "string" and ("%q"):format(c.got) or tostring(c.got))
          .. ", which is not a size (give bytes or a string such as \"1 GiB\")"
      else
        said = "returned " .. shown(bytes) .. ", which is not right (" .. (bytes > truth and "too high" or "too low") .. ")"
      end
      lab.feedback(call_of(c) .. " " .. said)
      print(("%s: the host allows %s, the submission said %s"):format(call_of(c), lab.format.bytes(truth), tostring(c.got)))
    end
  end
  partial(right / #cases)
  expect(right, "VMs answered right", "count"):to_equal(#cases)
end)

check("a VM without VMware Tools", { number = "5", points = 1,
  hint = "Where does the balloon live, and what does the kiosk lack?" }, function()
  expect(size_of("kiosk_ballooned"), "M.kiosk_ballooned", "bytes"):to_equal(lab.series(kiosk, "memory.ballooned"):max())
end)
