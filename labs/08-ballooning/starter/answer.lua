-- Lab 08: ballooning. Replace every nil with your answer, then, from the lab's folder, run
--   hyperlab check . --submission my-answer
-- (my-answer being your copy of this folder).
-- Sizes can be numbers of bytes or strings such as "1.5 GiB" or "512 MiB" (KB, MB and GB
-- are binary, as in vSphere); max_balloon may return either.
local M = {}

-- An 8 GiB ESXi host runs a desktop (4 GiB), a kiosk (2 GiB, no VMware Tools) and a
-- hog (6 GiB). The desktop's guest writes 1 GiB; a browser allocates 2 GiB and is
-- closed after five minutes.

-- 1. The desktop's consumed memory after the browser closed:
M.consumed_after_close = nil

-- Then the hog allocates 5 GiB, slowly, and the host runs short of memory.

-- 2. In which free-memory state ("high", "clear", "soft", "hard", "low") does the
--    host start inflating balloons?
M.balloon_state = nil

-- 3. The desktop's balloon inflates. Where does its guest find the pages:
--    "free list" or "guest swap"? And how much does the desktop's guest page out?
M.balloon_pages_from = nil
M.desktop_guest_swapped = nil

-- 4. The most a VM's balloon may hold (bytes or a size string), for a VM with
--    `configured` memory, a `reservation` (bytes, 0 when none), a `max_balloon` setting
--    (sched.mem.maxmemctl in bytes, nil when unset) and `tools` (whether VMware Tools is
--    installed). Mem.CtlMaxPercent is 65. The graded checks try VMs the public check
--    does not, so make it work for any VM.
function M.max_balloon(configured, reservation, max_balloon, tools)
  return configured
end

-- 5. The largest balloon the kiosk ever holds:
M.kiosk_ballooned = nil

return M
