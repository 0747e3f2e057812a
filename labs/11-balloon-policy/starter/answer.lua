-- Lab 11: write a balloon-target policy. Then, from the lab's folder, run
--   hyperlab check . --submission <this folder>
--
-- Every 15 s, and whenever the host changes state, `target(view)` is called with:
--   view.now (seconds), view.state ("high" | "clear" | "soft" | "hard" | "low"),
--   view.capacity, view.free, view.min_free, view.thresholds = { high, clear, soft, hard }
--   (the free memory at which each state begins), and view.vms, a list of
--   { name, configured, reservation, limit, shares, active, consumed, granted,
--     ballooned, swapped, compressed, max_balloon, tools, target }
-- Every size in the view is a number of bytes.
-- It returns a table of balloon targets by VM name, each a number of bytes or a size
-- string such as "1 GiB" or "512 MiB", e.g. { web01 = "1 GiB" }; VMs left out get 0
-- (their balloons deflate). A target must be between 0 and the VM's max_balloon, or the
-- run stops with an error. The hidden checks run it on another host with other VMs:
-- read the view, do not rely on this lab's VM names or sizes.
local M = {}

M.policy = lab.balloon_policy{
  name = "never",
  target = function(view)
    return {}
  end,
}

return M
