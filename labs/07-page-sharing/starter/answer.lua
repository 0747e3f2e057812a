-- Lab 07: overcommitment and page sharing. Fill in every answer, then run
--   hyperlab run labs/07-page-sharing --submission <this folder>
-- Sizes can be numbers of bytes or strings such as "1.5 GiB" (KB/MB/GB are binary).
local M = {}

-- 1. Six 4 GiB VMs are powered on on a 16 GiB host. Its memory overcommitment ratio:
M.overcommit = nil

-- The scenario of questions 2-5: four 4 GiB Ubuntu VMs on one host; each guest writes
-- 2 GiB — its 256 MiB OS image (identical in every Ubuntu VM), then data of which 10 %
-- is zero pages. Large pages are off unless said otherwise; TPS runs for two hours.

-- 2. Memory saved by page sharing (h.memory.shared_saved) for Mem.ShareForceSalting
--    0, 1 and 2 (no VM has a salt).
function M.saved(salting)
  return 0
end

-- 3. Salting 2. The VMs are web1, web2, db1 and db2. Give each a salt
--    (sched.mem.pshare.salt) so that the web VMs share with each other and the db VMs
--    with each other, but web and db VMs do not share.
M.salts = { web1 = nil, web2 = nil, db1 = nil, db2 = nil }

-- 4. Salting 0 with large pages on (the ESXi default) on a 32 GiB host, which stays in
--    the high state. Memory saved:
M.saved_with_large_pages = nil
--    Below which state does ESXi break large pages so that TPS can share them?
M.large_pages_broken_below = nil

-- 5. Salting 0, large pages off: an OS update in vm1 rewrites its whole 256 MiB image.
--    By how much do the savings drop?
M.saved_drop_after_update = nil

return M
