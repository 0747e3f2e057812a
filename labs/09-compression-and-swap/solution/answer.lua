-- Lab 09 solution.
local M = {}

M.first_state = {
  large_pages_broken = "clear",
  ballooning = "soft",
  compression = "hard",
  swapping = "hard",
  blocking = "low",
}

M.batch_ballooned = 0
M.batch_consumed_floor = "1 GiB"   -- its reservation

function M.slot(size)
  if size <= 1024 then return 1024 end
  if size <= 2048 then return 2048 end
  return nil
end
M.swap_when_incompressible = "more"   -- what cannot be compressed is swapped

function M.cache_cap(configured) return 0.10 * configured end   -- Mem.MemZipMaxPct = 10

function M.vswp(configured, reservation) return configured - reservation end

-- 6. The cache counts against the limit: the host compresses until the resident pages
--    and the cache together fit in 3 GiB, so compression saves what is over the limit.
M.zsave = "256 MiB"

return M
