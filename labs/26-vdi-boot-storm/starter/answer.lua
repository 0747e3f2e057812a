-- Lab 26: a VDI boot storm. Fill in M.plan, then, from the lab's folder, run
--   hyperlab check . --submission <this folder>
-- M.plan(desktops) is called for the public pool (240 desktops) and, when your work is
-- graded, for pools of other sizes: compute the plan from `desktops`.
local M = {}

-- Returns the plan for a pool of `desktops` Windows desktops (1 vCPU, 2 GiB, a 40 GiB
-- golden image), provisioned at 8:55 with users arriving from 9:00:
--   kind    = "full" | "linked" | "instant"   how the desktops are cloned
--   stagger = seconds or a duration string ("10 min"), 0 to 25 min: starts spread
--             evenly over this window from 9:00
--   iops    = the datastore's random-I/O capacity to buy (a number of IOPS)
--   hosts   = how many hosts (16 cores, 256 GiB each), a whole number from 1 to 12
function M.plan(desktops)
  return {
    kind = "full",
    stagger = 0,
    iops = 5000,
    hosts = 1,
  }
end

return M
