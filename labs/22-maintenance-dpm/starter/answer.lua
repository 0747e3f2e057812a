-- Lab 22: maintenance mode, rules and DPM. Fill in every answer; then, from the lab's
-- folder, run
--   hyperlab check . --submission <this folder>
-- Durations as seconds or strings ("40 min", "300 s"); sizes as bytes or strings
-- ("512 GiB", "1.5 TiB"); counts as whole numbers; percentages as numbers (23 for 23 %).
local M = {}

-- 1. The cluster of the handout (esx1 … esx4), one host at a time entering maintenance
--    mode, the others as they are (DRS fully automated). For each host, the VMs still
--    running on it ten minutes later and, for each, the reason h.maintenance_blockers
--    gives ("rule", "passthrough", "resources", "incompatible", "drs-disabled", "ha",
--    "drs-off", "recommended" or "paused"). VMs by their short names: db, app, web1, web2,
--    res2, gpu, batch, big. A host nothing blocks gets {}.
M.blockers = {
  esx1 = nil,   -- e.g. { some_vm = "rule" }
  esx2 = nil,
  esx3 = nil,
  esx4 = nil,
}

-- 2. The same cluster with DRS in manual mode, esx1 entering maintenance: how many
--    vMotions start, and how many recommendations c.drs.recommendations holds.
M.manual_vmotions = nil
M.manual_recommendations = nil

-- 3. The same cluster with HA on: esx1 fails. The VMs that are still down a minute later,
--    as a list of short names, e.g. { "app" } (or {} if none).
M.down_after_esx1_fails = nil

-- 4. A day of DPM (defaults: target 63 %, tolerance 18 %, threshold 3, windows 5 min and
--    40 min, hosts boot in 5 min) on six 10 GHz hosts with 24 one-vCPU VMs: 5 % of each
--    vCPU busy from midnight, 45 % from 08:00, 5 % again from 18:00. DRS runs every 5 min
--    from midnight. With HA tolerating one host failure unless said otherwise:
M.night_first_standby = nil          -- how long after midnight DPM decides its first standby
M.night_hosts_on = nil               -- hosts still on at 08:00
M.night_hosts_on_without_ha = nil    -- the same cluster without HA
M.morning_power_on_after = nil       -- how long after 08:00 DPM decides to power hosts on
M.morning_hosts_powered_on = nil     -- how many it powers on then
M.morning_hosts_powered_on_without_ha = nil
M.evening_first_standby = nil        -- how long after 18:00 its first standby comes

-- 5. N+1 planning for a cluster of three 512 GiB and three 256 GiB hosts, one host
--    failure, a 75 % planning target: the memory usable after the failure, what the target
--    leaves for VMs, and the HA "percentage of cluster resources" that keeps the same room.
M.usable_memory = nil
M.planned_memory = nil
M.ha_percent = nil

-- 6. Your own planner: `memories` is a list of host memory sizes in bytes, `failures` how
--    many host failures to plan for, `target` the planning target in %. Return two sizes:
--    usable memory after the failures, and what the target leaves of it (bytes or strings).
function M.n_plus(memories, failures, target)
  return nil, nil
end

-- 7. How many hosts DPM leaves on when a cluster of `hosts` hosts of `host_mhz` MHz each
--    carries a steady CPU demand of `demand_mhz` MHz (memory idle), with HA tolerating
--    `ha_failures` host failures (0: HA off), DPM at its defaults. A whole number.
function M.dpm_hosts_on(hosts, host_mhz, demand_mhz, ha_failures)
  return nil
end

-- 8. EVC. `generations` is a list of the CPU generations of a cluster's hosts, by the
--    names of vCenter's EVC modes (Intel "merom" ... "sapphire-rapids", AMD "opteron-g1"
--    ... "zen4", oldest first; the handout's table). Return the name of the NEWEST EVC
--    baseline the cluster can be given (c:enable_evc accepts it), or nil if none can.
function M.evc_baseline(generations)
  return generations[1]
end

return M
