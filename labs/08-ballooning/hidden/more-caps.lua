-- Instructor-only: max_balloon on VMs the public checks do not try. Never shipped to
-- students; `hyperlab pack` puts it only in the autograder.
local answer = lab.submission("answer.lua")

local h = lab.host{ name = "hidden-esx", cpus = 8, memory = "64 GiB" }
local cases = {
  { "16 GiB", 0, nil, true }, { "3 GiB", "1 GiB", "512 MiB", true }, { "12 GiB", "10 GiB", nil, true },
  { "2 GiB", "1536 MiB", "1 GiB", true },
}
for i, c in ipairs(cases) do
  local vm = h:create_vm{ name = "hidden" .. i, memory = c[1], tools = c[4], mem = { reservation = c[2], max_balloon = c[3] } }
  vm:power_on()
  c.vm = vm
end

check("max_balloon on unseen VMs", { number = "H1", points = 2,
  hide_errors = "max_balloon gave a wrong cap for a VM the public checks do not try." }, function()
  expect(answer.max_balloon, "M.max_balloon"):to_be_set()
  local right = 0
  for _, c in ipairs(cases) do
    local args = { lab.bytes(c[1]), c[2] == 0 and 0 or lab.bytes(c[2]), c[3] and lab.bytes(c[3]) or nil, c[4] }
    local ok, got = pcall(answer.max_balloon, args[1], args[2], args[3], args[4])
    if ok and type(got) == "number" and math.abs(got - c.vm.memory.max_balloon) <= 4096 then right = right + 1 end
  end
  partial(right / #cases)
  expect(right, "unseen cases answered right"):to_equal(#cases)
end)
