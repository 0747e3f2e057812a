-- Lab 08 solution.
local M = {}

M.consumed_after_close = "3 GiB"   -- 1 GiB + the browser's 2 GiB: freed pages stay backed
M.balloon_state = "soft"
M.balloon_pages_from = "free list" -- 2 GiB of free pages are more than the balloon needs
M.desktop_guest_swapped = 0

function M.max_balloon(configured, reservation, max_balloon, tools)
  if not tools then return 0 end
  local cap = math.min(0.65 * configured, configured - reservation)
  if max_balloon then cap = math.min(cap, max_balloon) end
  return math.floor(cap)
end

M.kiosk_ballooned = 0

return M
