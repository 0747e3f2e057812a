-- Lab 16: live migration. Fill in every answer, then run
--   hyperlab run labs/16-live-migration --submission <this folder>
local M = {}

-- A running 4 GiB VM keeps rewriting 100 MB/s of a 2 GiB set. It is migrated over a
-- 1 GiB/s link with QEMU's rule: switch over once what is left fits 300 ms of the link.

-- 1. How many pre-copy rounds, the downtime (ms) and the time to switch over (s)?
M.rounds = nil
M.downtime_ms = nil
M.total_seconds = nil

-- 2. A VM dirtying 1.5 GiB/s of a 3 GiB set: QEMU's throttle in rounds 0 to 3 (0 to 1),
--    and Xen's downtime in seconds (Xen does not throttle).
M.qemu_throttles = { 0, 0, 0, 0 }
M.xen_downtime_seconds = nil

-- 3. Does a VM with a pass-through NIC migrate (true/false)?
M.passthrough_vm_migrates = nil

-- 4. Seconds of downtime of QEMU's pre-copy for `memory` bytes over `bandwidth` bytes/s,
--    a guest rewriting `dirty` bytes/s of a `wws`-byte set, and a `limit` in seconds
--    (assume it converges).
function M.downtime(memory, bandwidth, dirty, wws, limit)
  return limit
end

return M
