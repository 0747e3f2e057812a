-- Lab 17: HA and FT. Fill in every answer; then, from the lab's folder, run
--   hyperlab check . --submission <this folder>
-- Quantities may be numbers in the unit the comment says or strings with a unit: CPU
-- speeds such as "2 GHz" or "2000 MHz", sizes such as "2 GiB" (sizes are binary, as in
-- vSphere: 1 GB = 1 GiB), durations such as "45 s" or "1 min".
local M = {}

-- 1. Hosts 9 GHz/9 GB, 9 GHz/6 GB, 6 GHz/6 GB; VMs reserving 2/1, 2/1, 1/2, 1/1, 1/1
--    (GHz/GB); HA with slot admission control tolerating 1 host failure.
M.slot_mhz = nil            -- the slot's CPU: MHz, or e.g. "2.5 GHz"
M.slot_memory = nil         -- the slot's memory: bytes, or e.g. "3 GiB"
M.failover_capacity = nil   -- host failures the cluster can take now (a whole number)
M.vms_powered_on = nil      -- VMs running after trying to power on four more 2 GHz / 2 GB VMs

-- 2. A host fails. web (HA only), db (FT, secondary on another host) and gpu (a
--    pass-through NIC) ran on it, each having written 2 GiB. HA detects a failure in
--    15 s; a restarted guest boots in 30 s.
M.web_downtime_seconds = nil       -- seconds, or e.g. "2 min"
M.db_downtime_seconds = nil        -- seconds, or e.g. "2 min"
M.web_memory_after_restart = nil   -- web's consumed memory right after it restarts (bytes, or e.g. "1 GiB")
M.db_memory_after_failover = nil   -- db's consumed memory after its secondary took over (bytes, or e.g. "1 GiB")

-- 3. gpu's state afterwards ("on" or "off"), and whether db gets a new secondary on a
--    third host (true/false).
M.gpu_state = nil
M.db_has_new_secondary = nil

-- 4. Your own slot admission control: how many host failures a cluster tolerates.
--    `hosts` is a list of { cpu = <MHz>, memory = <bytes> } (each host's capacity), `vms`
--    a list of { cpu = <MHz>, memory = <bytes> } (the reservations of its powered-on VMs;
--    every VM reserves both). Return a whole number.
function M.tolerated_failures(hosts, vms)
  return 0
end

return M
