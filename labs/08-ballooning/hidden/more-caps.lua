-- Instructor-only: max_balloon on VMs the public checks do not try (other sizes, each of
-- the bounds binding, a maxmemctl above the other bounds, another VM without Tools).
-- Never shipped to students; `hyperlab pack` puts it only in the autograder. Runs after
-- lab.lua in the same world: its host and VMs are named "hidden-...".
local answer = lab.submission("answer.lua")

local cases = {
  { "16 GiB", 0, nil, true }, { "3 GiB", "1 GiB", "512 MiB", true }, { "12 GiB", "10 GiB", nil, true },
  { "2 GiB", "1536 MiB", "1 GiB", true }, { "5 GiB", "512 MiB", "4 GiB", true }, { "1 GiB", "256 MiB", nil, false },
}

-- The submission is asked first, before the VMs it is about exist. Sizes may come back
-- as bytes or as size strings, as the starter says.
local found, max_balloon = pcall(function() return answer.max_balloon end)
for _, c in ipairs(cases) do
  if found and type(max_balloon) == "function" then
    c.ok, c.got = pcall(max_balloon, lab.bytes(c[1]), lab.bytes(c[2]), c[3] and lab.bytes(c[3]) or nil, c[4])
  end
end

local h = lab.host{ name = "hidden-esx", cpus = 8, memory = "64 GiB" }
for i, c in ipairs(cases) do
  local vm = h:create_vm{ name = "hidden" .. i, memory = c[1], tools = c[4], mem = { reservation = c[2], max_balloon = c[3] } }
  vm:power_on()
  c.vm = vm
end

check("max_balloon on unseen VMs", { number = "H1", points = 2, visibility = "after_due_date",
  hide_errors = "max_balloon gave a wrong cap (or no size) for a VM the public checks do not try." }, function()
  lab.answer(answer, "max_balloon")
  local right = 0
  for _, c in ipairs(cases) do
    local truth = c.vm.memory.max_balloon
    local bytes = c.ok and lab.size_of(c.got) or nil
    if bytes and math.abs(bytes - truth) <= lab.bytes("1 MiB") then
      right = right + 1
    else
      print(("H1 max_balloon(%s, %s, %s, %s): the host allows %s, the submission said %s"):format(c[1], tostring(c[2]),
        tostring(c[3]), tostring(c[4]), lab.format.bytes(truth), tostring(c.got)))
    end
  end
  partial(right / #cases)
  expect(right, "unseen VMs answered right", "count"):to_equal(#cases)
end)
