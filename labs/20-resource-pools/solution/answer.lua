-- Lab 20: resource pools (reference solution).
local M = {}

-- The root's children are RP-Prod (8000), RP-Test (2000) and the root VM (1000): the
-- capacity is cut by those shares, then each pool's slice among its own VMs.
function M.per_vm(capacity, prod_vms, test_vms)
  local total = 8000 + 2000 + 1000
  return capacity * 8000 / total / prod_vms, capacity * 2000 / total / test_vms, capacity * 1000 / total
end

M.why = "b"

-- Scalable shares: a pool weighs 2000 / 1000 / 500 per vCPU of its powered-on VMs, so a
-- High pool's VMs get twice a Normal VM's share and four times a Low one's, whatever
-- the counts.
M.fix = { scalable_shares = true }

-- the limit caps both together: 3 GHz shared by equal shares
M.capped_vm_mhz = "1.5 GHz"

-- RP-KID grants from its own reservation; what it lacks it borrows from RP-MOM only if
-- expandable, and RP-MOM (fixed) grants only from what its VMs and RP-KID's
-- reservation leave of its own.
function M.admits(mom_reservation, mom_vms, kid_reservation, kid_expandable, kid_vms, request)
  local kid_free = math.max(0, kid_reservation - kid_vms)
  if request <= kid_free then return true end
  if not kid_expandable then return false end
  local kid_effective = math.max(kid_reservation, kid_vms)
  local mom_free = math.max(0, mom_reservation - mom_vms - kid_effective)
  return request - kid_free <= mom_free
end

-- Groups in dependency order; each group waits for the Tools of the one before it (at
-- most the 120 s default delay), so the start takes just the boots; a guest shutdown per
-- tier, and the vApp stops its groups in reverse order, waiting for each shutdown.
M.tiers = {
  db = { group = 1, start = "tools", stop = "guest-shutdown" },
  app = { group = 2, start = "tools", stop = "guest-shutdown" },
  web = { group = 3, stop = "guest-shutdown" },
}

return M
