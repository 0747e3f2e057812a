-- Lab 18 solution.
local M = {}

M.virtualizable = { x86 = false, ["x86-vtx"] = true, ideal = true, pdp10 = false }
M.hybrid_virtualizable = { x86 = false, ["x86-vtx"] = true, ideal = true, pdp10 = true }

-- "leave" returns to user mode without trapping: sensitive, but only in supervisor mode
M.machine = {
  name = "mine",
  instructions = {
    { name = "leave", privileged = false, sensitive = "control", user_sensitive = false, effect = "return-to-user" },
    { name = "cli", privileged = true, sensitive = "control", effect = "disable-interrupts" },
    { name = "add", privileged = false, sensitive = "none" },
  },
}

-- the guest kernel disables interrupts with POPF, then reads the flags back: POPF does
-- not trap in user mode and the change is silently ignored
M.program = {
  { mode = "kernel", op = "popf", value = 0 },
  { mode = "kernel", op = "pushf" },
}

M.more_direct = "trap-and-emulate"   -- the hybrid VMM interprets all supervisor code

return M
