-- Instructor-only: the student's policy against vCenter's DRS on clusters the public
-- checks do not use — hosts of different sizes, more rules, a failed host. Never shipped
-- to students.
local shared = ...
if not shared.installable then return end
local answer = lab.submission("answer.lua")

-- Six hosts of three sizes; a three-VM anti-affinity group, a keep-together pair, a licence
-- rule; load moves from the front-end to the back-end at 15 min.
local mixed = {
  hosts = { { 8, 2000 }, { 8, 2000 }, { 4, 3000 }, { 4, 3000 }, { 16, 2500 }, { 16, 2500 } },
  vms = {
    { "fe1", "esx5", 4, 0.9 }, { "fe2", "esx5", 4, 0.8 }, { "fe3", "esx5", 4, 0.7 }, { "fe4", "esx6", 2, 0.9 },
    { "be1", "esx5", 4, 0.3 }, { "be2", "esx6", 4, 0.3 }, { "be3", "esx1", 2, 0.2 }, { "be4", "esx1", 2, 0.2 },
    { "db1", "esx5", 4, 0.8 }, { "db2", "esx5", 4, 0.8 }, { "mq1", "esx6", 2, 0.6 }, { "mq2", "esx5", 2, 0.6 },
    { "ci", "esx3", 2, 0.5 }, { "logs", "esx4", 1, 0.4 }, { "mon", "esx2", 1, 0.3 },
  },
  rules = {
    { name = "fe-apart", kind = "vm-anti-affinity", vms = { "fe1", "fe2", "fe3" } },
    { name = "mq-together", kind = "vm-affinity", vms = { "mq1", "mq2" } },
    { name = "db-licence", kind = "vm-host", vms = { "db1", "db2" }, hosts = { "esx5", "esx6", "esx1" }, must = true },
  },
  changes = { { at = 900, vm = "fe1", load = 0.2 }, { at = 900, vm = "fe2", load = 0.2 }, { at = 900, vm = "be1", load = 1.0 },
              { at = 900, vm = "be2", load = 1.0 } },
}

-- Five hosts, one of them failed (ineligible: the view says so), a should-run-on rule.
local degraded = {
  hosts = { { 4, 2500 }, { 4, 2500 }, { 4, 2500 }, { 4, 2500 }, { 4, 2500 } },
  failed = { "esx5" },
  vms = {
    { "a", "esx1", 2, 0.9 }, { "b", "esx1", 2, 0.9 }, { "c", "esx1", 1, 0.8 }, { "d", "esx2", 2, 0.7 },
    { "e", "esx2", 1, 0.9 }, { "f", "esx1", 1, 0.6 }, { "g", "esx2", 1, 0.5 }, { "h", "esx3", 1, 0.2 },
  },
  rules = { { name = "a-prefers", kind = "vm-host", vms = { "a" }, hosts = { "esx1", "esx2" } } },
}

local results = { shared.contest(mixed, "h1", answer.balancer, 30), shared.contest(degraded, "h2", answer.balancer, 30) }

check("balance and moves on other clusters", { number = "H1", points = 2, visibility = "after_due_date",
  hide_errors = "On a cluster the public checks do not use (hosts of different sizes, or one with a failed host), the"
    .. " policy balanced much less than vCenter's DRS or made many more moves." }, function()
  local right = 0
  for _, r in ipairs(results) do if shared.balanced(r) and shared.frugal(r) then right = right + 1 end end
  partial(right / #results)
  expect(right, "clusters balanced as well as DRS with as few moves", "count"):to_equal(#results)
end)

check("rules and valid moves on other clusters", { number = "H2", points = 2, visibility = "after_due_date",
  hide_errors = "On a cluster the public checks do not use, the policy did not balance, broke a rule (anti-affinity of"
    .. " three VMs, a keep-together pair, a licence, a preference) or asked for a move the engine refused (such as to a"
    .. " failed host)." },
  function()
  -- as in the public checks, keeping the rules counts only where the policy balanced
  local right = 0
  for _, r in ipairs(results) do if shared.lawful(r) and shared.balanced(r) then right = right + 1 end end
  partial(right / #results)
  expect(right, "clusters where every rule was kept", "count"):to_equal(#results)
end)
