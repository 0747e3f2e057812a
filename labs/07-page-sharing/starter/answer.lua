-- Lab 07: overcommitment and page sharing. Replace every nil with your answer, then,
-- from the lab's folder, run
--   hyperlab check . --submission my-answer
-- (my-answer being your copy of this folder).
-- Sizes can be numbers of bytes or strings such as "1.5 GiB" or "256 MiB" (KB, MB and GB
-- are binary, as in vSphere); saved() may return either.
local M = {}

-- 1. Six 4 GiB VMs are powered on on a 16 GiB host. Its memory overcommitment ratio
--    (a number such as 0.8, or a percentage string such as "80%"):
M.overcommit = nil

-- The scenario of questions 2-5: 4 GiB Ubuntu VMs on one host; each guest writes
-- 2 GiB — its 256 MiB OS image (identical in every Ubuntu VM), then data of which 10 %
-- is zero pages. Large pages are off unless said otherwise; TPS runs for two hours.

-- 2. Memory saved by page sharing (h.memory.shared_saved) when `vms` such VMs run, for
--    Mem.ShareForceSalting `salting` = 0, 1 or 2 (no VM has a salt). The public check
--    asks for 4 VMs; the graded checks try other numbers too.
function M.saved(salting, vms)
  return 0
end

-- 3. Salting 2. The VMs are web1, web2, db1 and db2. Give each a salt (a string,
--    sched.mem.pshare.salt) so that the web VMs share with each other and the db VMs
--    with each other, but web and db VMs do not share.
M.salts = { web1 = nil, web2 = nil, db1 = nil, db2 = nil }

-- 4. Four VMs, salting 0, large pages on (the ESXi default) on a 32 GiB host, which stays
--    in the high state. Memory saved:
M.saved_with_large_pages = nil
--    Below which free-memory state ("high", "clear", "soft", "hard", "low") does ESXi
--    break large pages so that TPS can share them?
M.large_pages_broken_below = nil

-- 5. Four VMs, salting 0, large pages off: an OS update in vm1 rewrites its whole
--    256 MiB image. By how much do the savings drop?
M.saved_drop_after_update = nil

return M
