-- Lab 12: thin and thick provisioning. Fill in every answer, then, from the lab's
-- folder, run   hyperlab check . --submission <this folder>
-- Sizes: a number of bytes or a string such as "1.5 GiB" (KB/MB/GB are binary).
-- Durations: a number of seconds or a string such as "90 s" or "2 min".
-- Percentages: a number (150 for 150 %) or a string such as "150%". Ratios: a number.
local M = {}

-- 1. A disk of `size` bytes is created with `provisioning` "thin", "thick-lazy" or
--    "thick-eager". How much does it take on the datastore right away? Return a size.
--    (Checked with a 40 GiB disk here, and with other sizes when graded.)
function M.used_at_creation(provisioning, size)
  return size
end

-- 2. How long does creating the 40 GiB eager-zeroed disk take on an SSD datastore that
--    writes 400 MB/s? (a duration)
M.eager_zeroing_seconds = nil

-- 3. Each VM writes 10 GiB as fast as the datastore allows. Ratios of the times:
M.first_write_ratio = nil    -- first write on thick-lazy ÷ first write on thick-eager
M.second_write_ratio = nil   -- rewriting the same 10 GiB on thick-lazy ÷ first write on thick-eager

-- 4. A 100 GiB datastore holds three thin 50 GiB web servers, a 20 GiB thick-lazy
--    database and a 20 GiB thin test VM with a snapshot (each VM also has small .vmx,
--    .nvram, log and 100 MiB VMX swap files). The web servers write 40, 30 and 5 GiB of
--    new data; the database keeps rewriting its data; the datastore fills up.
M.provisioned_percent = nil  -- the datastore's provisioned space in % of its capacity
M.paused = {}                -- names of the VMs that pause with a question, e.g. { "vmA", "vmB" }

-- 5. Recover: env.paused lists the web servers (paused or not), env.test is the test VM
--    (its snapshot "before-patch" is no longer needed), env.datastore the datastore. You
--    may read them (vm.state, vm.question, vm.snapshots, vm.disks, ds.free...) but not
--    change them: return the administrator's actions, a list the lab applies in order.
--    Each action is one of
--      { action = "delete_snapshot", vm = NAME, snapshot = NAME }
--      { action = "revert", vm = NAME, snapshot = NAME }     (the VM must be off)
--      { action = "power_off", vm = NAME }
--      { action = "answer", vm = NAME, choice = "retry" }    (or choice = "cancel")
--    where NAME is a string (vm may also be the VM itself). Free space and let the
--    paused VMs continue. Graded on another full datastore too. The form of the result,
--    for instance (this is NOT the answer):
--      return { { action = "power_off", vm = "vmA" }, { action = "revert", vm = "vmA", snapshot = "s1" } }
function M.recover(env)
  return {}
end

return M
