-- Instructor-only: the student's fix on a datacenter the public checks do not use (other
-- host sizes, the over-committed host elsewhere, another limit), so a fix written for the
-- public VMs' names and hosts fails. Never shipped to students. Runs after lab.lua in the
-- same world: its hosts and VMs are named "h-...".
local shared = ...

local hosts, vms = shared.build("h-", { hosts = { { 6 }, { 8 }, { 4 }, { 4 } }, vms = {
  { "api1", 1, 2, 1 }, { "api2", 1, 2, 1 }, { "etl1", 3, 2, 1 }, { "etl2", 3, 2, 1 }, { "etl3", 3, 2, 1 },
  { "cache", 4, 2, 1, "1.5 GHz" }, { "dns", 4, 1, 0.6 }, { "build", 2, 2, 0.5 } } })
lab.run_for("2 min")
local log, seen = shared.operate(hosts, vms)
print(log.text)
local b = shared.outcomes(vms, log, seen)
local hide = "On another datacenter (other host sizes, another over-committed host) a VM still waited for a pCPU, "
  .. "was off, or the fix failed."
check("another datacenter: your fix ran", { number = "H1a", points = 1, visibility = "after_due_date",
  reveal = "value", hide_errors = hide }, b.ran)
check("another datacenter: every VM's %RDY under 5 %", { number = "H1b", points = 3, visibility = "after_due_date",
  reveal = "value", hide_errors = hide }, b.ready)
check("another datacenter: nothing powered off, the work still done", { number = "H1c", points = 1,
  visibility = "after_due_date", reveal = "value", hide_errors = hide }, b.running)
