-- Lab 11 solution: keep free memory above the high threshold by ballooning idle memory
-- (consumed − active) of mostly idle VMs — starting as soon as the host leaves high, long
-- before the hard state where ESXi would compress and swap. A VM whose consumed memory
-- grew since the last call is busy whatever its active estimate says (the estimate lags
-- by a sample). Balloon pages the guest takes from memory it never touched free nothing
-- on the host, so the targets keep growing until the balloons reach backed pages.
local M = {}

local last = {}

M.policy = lab.balloon_policy{
  name = "idle-first",
  target = function(view)
    local held = 0
    for _, vm in ipairs(view.vms) do held = held + vm.ballooned end
    -- the balloons in all should hold what they hold plus what free memory lacks
    local want = math.max(0, held + view.thresholds.high - view.free)
    local idle, total = {}, 0
    for _, vm in ipairs(view.vms) do
      local growing = last[vm.name] and vm.consumed > last[vm.name] + 16 * 1024 * 1024
      last[vm.name] = vm.consumed
      local mostly_idle = vm.active < vm.consumed / 2
      if vm.tools and vm.max_balloon > 0 and mostly_idle and not growing then
        idle[vm.name] = math.max(0, vm.consumed + vm.ballooned - vm.active)
        total = total + idle[vm.name]
      end
    end
    local targets = {}
    for _, vm in ipairs(view.vms) do
      if idle[vm.name] and total > 0 then
        -- multiply by the fraction: want × idle would overflow Lua's 64-bit integers
        targets[vm.name] = math.floor(math.min(vm.max_balloon, want * (idle[vm.name] / total)))
      end
    end
    return targets
  end,
}

return M
