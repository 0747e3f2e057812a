-- Lab 20: resource pools. Fill in every answer, then, from the lab's folder, run
--   hyperlab check . --submission <this folder>
-- Units: a CPU speed is a number of MHz or a string such as "1.5 GHz" or "900 MHz".
-- Your functions must compute their answers from their arguments (no cluster of their own).
local M = {}

-- 1. A cluster's root pool has `capacity` MHz, all of it contended. Its children:
--    RP-Prod (High shares) holding `prod_vms` VMs, RP-Test (Low shares) holding
--    `test_vms` VMs, and one VM placed directly at the root. Every VM has 1 vCPU and
--    Normal shares and is CPU-bound. Return the CPU each one is entitled to, as three
--    values: a Production VM's, a Test VM's, the root VM's.
function M.per_vm(capacity, prod_vms, test_vms)
  local each = capacity / (prod_vms + test_vms + 1)
  return each, each, each
end

-- 2. Why does a Production VM get less than a Test VM? One letter:
--    "a" RP-Prod's High shares count only when the host is idle;
--    "b" shares divide CPU among siblings only: each pool's slice is then divided
--        among the VMs inside it;
--    "c" the Test VMs reserve CPU, the Production VMs do not;
--    "d" the host gives every VM the same share whatever its pool.
M.why = nil

-- 3. Fix it: settings for the same layout under which the pools' levels act as per-VM
--    priority classes: every Production VM gets more CPU than every Test VM and than
--    the root VM, and what a Production VM or a Test VM gets compared with the root VM
--    does not change with the number of VMs in each pool. A table with any of:
--      scalable_shares = true | false     (the cluster's vSphere 7 switch)
--      prod_shares = "high" | "normal" | "low" | a number   (RP-Prod's CPU shares)
--      test_shares = ...                                      (RP-Test's CPU shares)
M.fix = {}

-- 4. A pool limited to 3 GHz holds two CPU-bound 1-vCPU VMs on an otherwise idle
--    20 GHz cluster (2.5 GHz pCPUs). How much CPU does each VM use?
M.capped_vm_mhz = nil

-- 5. Admission control. RP-MOM has a FIXED reservation of `mom_reservation` MHz; its own
--    powered-on VMs reserve `mom_vms` MHz in total. RP-KID, inside RP-MOM, reserves
--    `kid_reservation` MHz, expandable or not (`kid_expandable`); its powered-on VMs
--    reserve `kid_vms` MHz. Does a VM reserving `request` MHz power on in RP-KID?
--    Return true or false. (The cluster has plenty of CPU besides RP-MOM.)
function M.admits(mom_reservation, mom_vms, kid_reservation, kid_expandable, kid_vms, request)
  return true
end

-- 6. A vApp of three tiers: db (the database), app (the application server) and web
--    (the front end). app needs db running, web needs app; their guests take different
--    times to boot. For each tier, its member settings for app:add(vm, settings) (see
--    docs/datacenter.md, "vApps"):
--      group = 1, 2, ...                           (group 1 starts first)
--      start = "tools" | "none" | a delay such as "30 s"
--      start_delay = a delay                       (with start = "tools": the longest wait)
--      stop = "power-off" | "guest-shutdown" | "suspend" | "none"
--      stop_delay = a delay                        (with "guest-shutdown": the longest wait)
--    Required: each tier powers on only once the tier it needs has VMware Tools running,
--    the start waits no longer than the guests need to boot, and powering the vApp off
--    shuts each guest down cleanly, web first, then app, then db.
M.tiers = {
  db = {},
  app = {},
  web = {},
}

return M
