-- luacheck configuration for the engine's Lua library and the labs.
std = "lua54"
stds.hyperlab = { read_globals = { "lab", "check", "expect", "partial" } }
max_line_length = 130

-- the engine's library defines parts of `lab` and the `expect` global
files["stdlib-lua/"] = { globals = { "lab", "expect" }, read_globals = { "check", "partial" } }
files["stdlib-lua/types/"] = { only = {} }  -- generated type stubs
files["labs/"] = { std = "+hyperlab" }
-- starters leave function arguments unused on purpose: the student fills them in
files["labs/*/starter/"] = { std = "+hyperlab", unused_args = false }
