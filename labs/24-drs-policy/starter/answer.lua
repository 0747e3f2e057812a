-- Lab 24: your DRS balancing policy. Fill in plan(view); then, from the lab's folder, run
--   hyperlab check . --submission <this folder>
--
-- At each DRS pass (every 5 minutes) plan(view) receives a snapshot of the cluster and
-- returns the moves to make, { { vm = "<vm name>", to = "<host name>" }, ... } ({} or nil
-- for none). CPU is in MHz, memory in bytes, loads are fractions of a host's capacity.
--   view.now, view.cluster, view.threshold, view.imbalance (now), view.target (the largest
--   imbalance DRS tolerates at this threshold), view.max_moves_per_host
--   view.hosts: { name, cpus, cpu_capacity, memory_capacity, cpu_load, memory_load,
--                 cpu_entitled, memory_entitled, cpu_reserved, memory_reserved,
--                 eligible, state, vms = { names } }
--   view.vms:   { name, host, vcpus, memory, cpu_entitlement, cpu_demand,
--                 memory_entitlement, cpu_reservation, memory_reservation, automation,
--                 migrating, movable }
--   view.rules: { name, kind ("vm-affinity" | "vm-anti-affinity" | "vm-host"), vms,
--                 hosts, must, avoid, enabled }
-- Every move is checked: a refused one (unknown VM or host, a host that is not eligible,
-- a VM that may not move or is moved twice, too many moves for a host, a rule that must
-- hold broken) is reported under the checks and costs you points.
local M = {}

M.balancer = lab.drs_policy{ name = "mine", plan = function(view)
  local moves = {}
  -- your policy: which VM to which host?
  return moves
end }

return M
