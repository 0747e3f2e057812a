-- Lab 09: compression and swapping. Replace every nil with your answer, then, from the
-- lab's folder, run
--   hyperlab check . --submission my-answer
-- (my-answer being your copy of this folder).
-- Sizes can be numbers of bytes or strings such as "1.5 GiB" or "512 MiB" (KB, MB and GB
-- are binary, as in vSphere); slot, cache_cap and vswp may return either.
local M = {}

-- An 8 GiB ESXi host runs web (4 GiB), batch (4 GiB, no VMware Tools, 1 GiB reserved)
-- and a hog (6 GiB) that allocates 5 GiB, all active, until the host runs short.

-- 1. In which state ("high", "clear", "soft", "hard", "low") does each first happen?
M.first_state = {
  large_pages_broken = nil,
  ballooning = nil,
  compression = nil,
  swapping = nil,
  blocking = nil,   -- VMs above their target may not allocate
}

-- 2. The largest balloon batch ever holds, and the least its consumed memory can fall to:
M.batch_ballooned = nil
M.batch_consumed_floor = nil

-- 3. A page chosen for swapping compresses to `size` bytes. Which compression-cache
--    slot does it take: 1024, 2048, or nil (it is swapped instead)?
function M.slot(size)
  return 2048
end
--    If batch's data does not compress to 2 KB or less, does the host swap "more" or
--    "less" of batch than when 60 % of it does?
M.swap_when_incompressible = nil

-- 4. The most a VM's compression cache may hold, for a VM of `configured` bytes (the
--    default Mem.MemZipMaxPct):
function M.cache_cap(configured)
  return configured
end

-- 5. The size of the .vswp file ESXi creates at power-on for a VM of `configured` bytes
--    with a `reservation` (bytes, 0 when none):
function M.vswp(configured, reservation)
  return configured
end

-- The graded checks also try slot, cache_cap and vswp on sizes and VMs the public checks
-- do not, so make them work for any.

-- 6. A 4 GiB VM without Tools, limited to 3 GiB, writes 3.25 GiB of data that all
--    compresses to 2 KB or less (page sharing off; the cache stays below its cap). How
--    much machine memory does compression save it (esxtop ZSAVE, vm.memory.compression_saved)?
M.zsave = nil

return M
