-- Lab 17: HA and FT. Fill in every answer, then run
--   hyperlab run labs/17-ha-ft --submission <this folder>
local M = {}

-- 1. Hosts 9 GHz/9 GB, 9 GHz/6 GB, 6 GHz/6 GB; VMs reserving 2/1, 2/1, 1/2, 1/1, 1/1
--    (GHz/GB); HA with slot admission control tolerating 1 host failure.
M.slot_mhz = nil            -- the slot's CPU (MHz)
M.slot_memory = nil         -- the slot's memory (e.g. "2 GiB")
M.failover_capacity = nil   -- host failures the cluster can take now
M.vms_powered_on = nil      -- VMs running after trying to power on four more 2 GHz / 2 GB VMs

-- 2. A host fails. web (HA only), db (FT, secondary on another host) and gpu (a
--    pass-through NIC) ran on it, each having written 2 GiB. HA detects a failure in
--    15 s; a restarted guest boots in 30 s.
M.web_downtime_seconds = nil
M.db_downtime_seconds = nil
M.web_memory_after_restart = nil   -- web's consumed memory right after it restarts
M.db_memory_after_failover = nil   -- db's consumed memory after its secondary took over

-- 3. gpu's state afterwards ("on" or "off"), and whether db gets a new secondary on a
--    third host (true/false).
M.gpu_state = nil
M.db_has_new_secondary = nil

return M
