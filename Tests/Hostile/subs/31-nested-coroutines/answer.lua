local function f() return coroutine.wrap(f)() end; return { value = f() }
