-- Instructor-only: the student's fix on a datacenter the public checks do not use (three
-- hosts of other sizes, the over-committed host and the limited VM elsewhere), so a fix
-- written for the public VMs' names fails. Never shipped to students. Runs after lab.lua in
-- the same world: its hosts and VMs are named "h-...".
local shared = ...

local hosts, vms = shared.build("h-", { hosts = { { "16 GiB" }, { "20 GiB" }, { "48 GiB" } }, vms = {
  { "app1", 1, "8 GiB", "3 GiB", false, "1 GiB" }, { "app2", 1, "4 GiB", "3 GiB", true },
  { "olap1", 2, "8 GiB", "6 GiB", false }, { "olap2", 2, "8 GiB", "6 GiB", false }, { "olap3", 2, "8 GiB", "6 GiB", false },
  { "olap4", 2, "6 GiB", "4 GiB", false }, { "build", 3, "8 GiB", "4 GiB", true } } })
lab.run_for("2 min")
for _, vm in ipairs(vms) do
  print(("before: %s on %s SWW/s %s SWCUR %s"):format(vm.name, vm.host.name, lab.format.bytes(vm.memory.swap_out_rate),
    lab.format.bytes(vm.memory.swapped)))
end
local log, seen = shared.operate(hosts, vms)
print(log.text)
local b = shared.outcomes(hosts, vms, log, seen)
local hide = "On another datacenter (other host sizes, the swapping elsewhere) a host still swapped, a VM's memory "
  .. "stayed swapped out, a VM was off, or the fix failed."
check("another datacenter: your fix ran", { number = "H1a", points = 1, visibility = "after_due_date",
  reveal = "value", hide_errors = hide }, b.ran)
check("another datacenter: no host swapping", { number = "H1b", points = 3, visibility = "after_due_date",
  reveal = "value", hide_errors = hide }, b.calm)
check("another datacenter: what the VMs use is back in memory", { number = "H1c", points = 1,
  visibility = "after_due_date", reveal = "value", hide_errors = hide }, b.back)
check("another datacenter: nothing powered off", { number = "H1d", points = 1, visibility = "after_due_date",
  reveal = "value", hide_errors = hide }, b.on)
