local function f(n) return f(n + 1) + 1 end; return { value = f(1) }
