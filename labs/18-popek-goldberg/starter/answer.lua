-- Lab 18: Popek and Goldberg. Fill in every answer, then run
--   hyperlab run labs/18-popek-goldberg --submission <this folder>
local M = {}

-- 1. Can each built-in instruction set be virtualized by trap-and-emulate (Theorem 1)?
--    By a hybrid VMM (Theorem 3)? true or false for "x86", "x86-vtx", "ideal", "pdp10".
M.virtualizable = {}
M.hybrid_virtualizable = {}

-- 2. An instruction set (the table lab.isa{...} takes) on which trap-and-emulate does not
--    work but a hybrid VMM does. Each instruction: { name, privileged, sensitive =
--    "none"|"control"|"behavior", user_sensitive = true|false, effect = ... }.
M.machine = nil

-- 3. A guest program that behaves differently under trap-and-emulate on "x86" than on
--    bare hardware, but the same with VT-x: a list of { mode = "kernel"|"user", op = ...,
--    value = ... } (for "popf", value is the interrupt flag: 0 or 1).
M.program = nil

-- 4. On the PDP-10, which runs more instructions directly: "trap-and-emulate" or "hybrid"?
M.more_direct = nil

return M
