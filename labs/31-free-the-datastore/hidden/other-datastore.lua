-- Instructor-only: the student's fix on a datastore the public checks do not use (another
-- size, two VMs with snapshots, one of them two deep, another VM nobody needs), so a fix
-- written for the public VMs' names and snapshots fails. Never shipped to students. Runs
-- after lab.lua in the same world: its datastore, host and VMs are named "h-...".
local shared = ...

local ds, vms, list = shared.build("h-", { capacity = "110 GiB", vms = {
  { "shop", "6 GiB", "40 GiB", "thin" }, { "sandbox", "12 GiB", "20 GiB", "thin" },
  { "erp", "8 GiB", "30 GiB", "thin" }, { "sql", "12 GiB", "16 GiB", "thick-lazy" } },
  story = function(v)
    v.shop:run(lab.workload.disk{ write = "12 GiB", rate = "1 GB/s" })
    v.erp:run(lab.workload.disk{ write = "10 GiB", rate = "1 GB/s" })
    lab.run_for("1 min")
    v.shop:snapshot("weekly")
    v.erp:snapshot("before-upgrade")
    v.shop:run(lab.workload.disk{ write = "10 GiB", rate = "1 GB/s", rewrite = true })
    v.erp:run(lab.workload.disk{ write = "6 GiB", rate = "1 GB/s", rewrite = true })
    lab.run_for("1 min")
    v.erp:snapshot("after-upgrade")
    v.erp:run(lab.workload.disk{ write = "6 GiB", rate = "1 GB/s", rewrite = true })
    v.sandbox:run(lab.workload.disk{ write = "5 GiB", rate = "1 GB/s" })
    v.sql:run(lab.workload.disk{ write = "100 GiB", rate = "20 MB/s", rewrite = true })
    lab.run_for("30 s")
    v.shop:run(lab.workload.disk{ write = "19 GiB", rate = "40 MB/s" })
    v.erp:run(lab.workload.disk{ write = "19 GiB", rate = "40 MB/s" })
    lab.run_for("8 min")
  end })
for _, vm in ipairs(list) do print(("before: %s %s"):format(vm.name, vm.state)) end
print(("before: %s free %s"):format(ds.name, lab.format.bytes(ds.free)))
local expendable = { vms.sandbox }
local log, seen = shared.operate(ds, list, expendable)
print(log.text)
print(("after: least free %s"):format(lab.format.bytes(seen.least)))
local b = shared.outcomes(ds, list, expendable, log, seen)
local hide = "On another datastore (another size, other snapshots, another VM nobody needs) a VM that matters "
  .. "stayed or went paused, the datastore filled again, or the fix failed."
check("another datastore: your fix ran", { number = "H1a", points = 1, visibility = "after_due_date",
  reveal = "value", hide_errors = hide }, b.ran)
check("another datastore: every VM that matters runs again", { number = "H1b", points = 3,
  visibility = "after_due_date", reveal = "value", hide_errors = hide }, b.running)
check("another datastore: the datastore never full again", { number = "H1c", points = 1,
  visibility = "after_due_date", reveal = "value", hide_errors = hide }, b.room)
