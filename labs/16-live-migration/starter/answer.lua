-- Lab 16: live migration. Fill in every answer; then, from the lab's folder, run
--   hyperlab check . --submission <this folder>
-- Quantities may be numbers in the unit the name says (seconds) or strings with a unit:
-- durations such as "40 ms" or "4.5 s". Sizes are binary, as in vSphere (1 MB = 1 MiB).
local M = {}

-- A running 4 GiB VM keeps rewriting 100 MB/s of a 2 GiB set. It is migrated over a
-- 1 GiB/s link with QEMU's rule: switch over once what is left fits 300 ms of the link.

-- 1. How many pre-copy rounds (counting round 0, not the final stop-and-copy), the
--    downtime, and the time from the migration's start until the VM runs on the destination?
M.rounds = nil              -- a whole number
M.downtime_seconds = nil    -- seconds, or e.g. "40 ms"
M.total_seconds = nil       -- seconds, or e.g. "4.5 s"

-- 2. A VM dirtying 1.5 GiB/s of a 3 GiB set: QEMU's throttle in rounds 0 to 3 (each a
--    fraction from 0 to 1, or a percentage string such as "25%"), and Xen's downtime
--    (seconds, or a duration string; Xen does not throttle).
M.qemu_throttles = { 0, 0, 0, 0 }
M.xen_downtime_seconds = nil

-- 3. Does a VM with a pass-through NIC migrate (true/false)?
M.passthrough_vm_migrates = nil

-- 4. The downtime of QEMU's pre-copy for `memory` bytes over `bandwidth` bytes/s, a
--    guest rewriting `dirty` bytes/s of a `wws`-byte set, and a downtime `limit` in
--    seconds (assume it converges). Return seconds (a number) or a duration string.
function M.downtime(memory, bandwidth, dirty, wws, limit)
  return limit
end

return M
