-- A corpus of calls to the string and table functions the sandbox replaces. It runs in
-- a plain Lua 5.4 state (the stock library, the oracle) and in the sandbox, and returns
-- one line per call; the two outputs must be identical.
local out = {}

local function ser(v)
  local t = type(v)
  if t == "string" then return string.format("%q", v) end
  if t == "number" then return math.type(v) .. ":" .. string.format("%.17g", v) end
  if t == "table" then
    local parts, n = {}, 0
    for _ in next, v do n = n + 1 end
    for i = 1, rawlen(v) do parts[#parts + 1] = ser(rawget(v, i)) end
    return "{" .. table.concat(parts, ",") .. "|" .. n .. "}"
  end
  return tostring(v)
end

local function record(label, ok, ...)
  local parts = { label, ok and "ok" or "error" }
  for i = 1, select("#", ...) do parts[#parts + 1] = ser((select(i, ...))) end
  out[#out + 1] = table.concat(parts, " ")
end

local function try(label, f, ...) record(label, pcall(f, ...)) end

local subjects = {
  "", "hello world", "  trim me  ", "key = value", "a,b,,c", "THE (quick) [brown] fox", "aaa",
  "abcabcabc", "x = 1.5e10, y = -3", "\0a\0b", "f(a(b)c)d", "\195\188mlaut \195\177", "line1\nline2\n",
  "%d%%", "2024-01-15T10:30:00", "[[x]]", "a.b-c+d*e?f", "THE END.", "\t tab\r\n", "aXbXXcXXXd",
}
local patterns = {
  "", "a", "^a", "a$", "^$", "%a+", "%d+", "^%s*(.-)%s*$", "(%w+)%s*=%s*(%w+)", "[^,]*", "[a-c]+",
  "[%a_][%w_]*", "%b()", "%b[]", "%f[%w]%w+", "%f[%a]", "%f[%A]", "(a*(.)%w(%s*))", "()a()", ".-", ".*",
  "a-b", "a?b", "(.)%1", "[]]", "[^]]", "[%]]", "%.", "%%", "x*", "[%d.eE+-]+", "\0", "%z", "%S+",
  "%u%l*", "%p", "%c", "%x+", "%g+", "[a-]", "[-a]", "^(%w+)", "(h)(e)(l)(l)(o)", "$", "a$b", "%w+$",
  "(X*)", "X+", "X-", "X?", "[^%s]+", "[%w%p]+", "%.%-", "(%d+)-(%d+)-(%d+)T", "%[%[(.-)%]%]",
  "(.-)%.", "[A-Z]+", "[^A-Z]", "()", "(()())", "b*$", "%f[%z]", "%f[^\0]", "..", "^(.)(.)", "[\128-\255]+",
  -- malformed patterns and bad captures
  "%", "[a", "(", ")", "%b", "%ba", "%f", "%fa", "%1", "(a)%2", "[%", "a%", "(()", "[^", "%f[a",
}

for si, s in ipairs(subjects) do
  for pi, p in ipairs(patterns) do
    local tag = si .. "/" .. pi
    try("find " .. tag, string.find, s, p)
    try("match " .. tag, string.match, s, p)
    try("gsub " .. tag, string.gsub, s, p, "<%0>")
    try("gsub1 " .. tag, string.gsub, s, p, "%1", 2)
    try("gmatch " .. tag, function()
      local all = {}
      for a, b in string.gmatch(s, p) do
        all[#all + 1] = ser(a) .. "," .. ser(b)
        if #all > 200 then break end
      end
      return table.concat(all, ";")
    end)
  end
  for _, init in ipairs({ 1, 2, -3, 0, 100, -100, #s, #s + 1, #s + 2 }) do
    try("find-init " .. si .. " " .. init, string.find, s, "%a", init)
    try("plain " .. si .. " " .. init, string.find, s, "a.", init, true)
    try("match-init " .. si .. " " .. init, string.match, s, "(%w)(%w?)", init)
    try("gmatch-init " .. si .. " " .. init, function()
      local all = {}
      for w in string.gmatch(s, "%w+", init) do all[#all + 1] = w end
      return table.concat(all, ";")
    end)
  end
end

-- plain searches: no specials, specials taken literally, embedded zeros, empty needles
for _, c in ipairs({
  { "hello", "ll" }, { "hello", "" }, { "", "" }, { "a.b", "." }, { "a.b", ".", 1, true }, { "a\0b\0c", "\0c" },
  { "aaaaab", "aab" }, { "abc", "abcd" }, { "x^y", "^y", 1, true }, { "((", "(", 2, true }, { "abc", "c", 4 },
  { "abc", "", 4 }, { "abc", "", 5 }, { "abc", "b", -1 },
}) do
  try("find-plain " .. ser(c[1]) .. ser(c[2]), string.find, c[1], c[2], c[3], c[4])
end

-- gsub replacements of every kind
local repls = {
  "%%", "[%1]", "%0%0", "%2", "%9", "%x", "%", "", 7, 1.5,
  function(a) return a:upper() end, function() return nil end, function() return false end,
  function(a, b) return (b or "") .. a end, function() return {} end, function() return 42 end,
  { hello = "HI", a = "A", ["1"] = "one" }, { hello = false }, {},
}
for ri, r in ipairs(repls) do
  for _, s in ipairs({ "hello world", "a1b22c333", "" }) do
    try("gsub-repl " .. ri .. " " .. ser(s), string.gsub, s, "%w+", r)
    try("gsub-repl-cap " .. ri .. " " .. ser(s), string.gsub, s, "(%a)(%d*)", r)
    try("gsub-repl-pos " .. ri .. " " .. ser(s), string.gsub, s, "()%a", r)
  end
end
for _, n in ipairs({ 0, 1, 2, -1, 100 }) do
  try("gsub-n " .. n, string.gsub, "a a a a", "a", "b", n)
  try("gsub-anchor " .. n, string.gsub, "aaa", "^a", "b", n)
end
try("gsub-badrepl", string.gsub, "abc", "a", true)
try("gsub-nil", string.gsub, "abc", "a")
try("find-nil", string.find, nil, "a")
try("find-number", string.find, 12345, 34)
try("gsub-number", string.gsub, 12345, "%d", "%0%0")
try("match-toomany", string.match, string.rep("a", 40), string.rep("(a)", 33))
try("match-32", string.match, string.rep("a", 40), string.rep("(a)", 32))
try("match-deep", string.match, string.rep("a", 300), string.rep("a?", 250))
try("match-method", function() return ("key=val"):match("(%w+)=(%w+)") end)
try("gmatch-anchor", function()
  local all = {}
  for w in ("^a^b"):gmatch("^.") do all[#all + 1] = w end
  return table.concat(all, ",")
end)
try("gmatch-empty", function()
  local all = {}
  for a in ("abc"):gmatch("") do all[#all + 1] = ser(a) end
  return table.concat(all, ",")
end)
try("gmatch-after-end", function()
  local it = ("ab"):gmatch("%a")
  return it(), it(), it(), it()
end)

-- string.rep
for _, c in ipairs({ { "ab", 3 }, { "ab", 3, "," }, { "", 5 }, { "x", 0 }, { "x", -1 }, { "", 3, "," },
  { "a", 1, "sep" }, { "a", 2, "" }, { 5, 2 }, { "x", 2.0 }, { "x", 2.5 }, { "x", "3" }, {}, { "x" } }) do
  try("rep " .. ser(c[1]) .. " " .. ser(c[2]) .. " " .. ser(c[3]), string.rep, c[1], c[2], c[3])
end

-- table functions, on plain tables and on proxies that log every access
local function proxy(log, init)
  local store = {}
  for i, v in ipairs(init or {}) do store[i] = v end
  return setmetatable({}, {
    __index = function(_, k) log[#log + 1] = "get " .. tostring(k); return store[k] end,
    __newindex = function(_, k, v) log[#log + 1] = "set " .. tostring(k) .. "=" .. tostring(v); store[k] = v end,
    __len = function() log[#log + 1] = "len"; return #store end,
  }), store
end

local function tcase(label, f)
  local log = {}
  record(label, pcall(f, log))
  out[#out + 1] = "  log " .. table.concat(log, ";")
end

tcase("insert-end", function() local t = { 1, 2, 3 }; table.insert(t, 4); return t end)
tcase("insert-mid", function() local t = { 1, 2, 3 }; table.insert(t, 2, "x"); return t end)
tcase("insert-first", function() local t = { 1, 2, 3 }; table.insert(t, 1, "x"); return t end)
tcase("insert-after", function() local t = { 1, 2, 3 }; table.insert(t, 4, "x"); return t end)
tcase("insert-oob", function() local t = { 1, 2, 3 }; table.insert(t, 5, "x"); return t end)
tcase("insert-zero", function() local t = { 1 }; table.insert(t, 0, "x"); return t end)
tcase("insert-args", function() local t = {}; table.insert(t, 1, 2, 3); return t end)
tcase("insert-none", function() local t = {}; table.insert(t); return t end)
tcase("insert-notable", function() table.insert("s", 1) end)
tcase("insert-proxy", function(log) local p, s = proxy(log, { 1, 2, 3 }); table.insert(p, 2, "x"); return s end)
tcase("remove-last", function() local t = { 1, 2, 3 }; return table.remove(t), t end)
tcase("remove-first", function() local t = { 1, 2, 3 }; return table.remove(t, 1), t end)
tcase("remove-empty", function() local t = {}; return table.remove(t), t end)
tcase("remove-empty0", function() local t = {}; return table.remove(t, 0), t end)
tcase("remove-n1", function() local t = { 1, 2 }; return table.remove(t, 3), t end)
tcase("remove-oob", function() local t = { 1, 2 }; return table.remove(t, 4), t end)
tcase("remove-proxy", function(log) local p, s = proxy(log, { 1, 2, 3 }); return table.remove(p, 1), s end)
tcase("move-basic", function() return table.move({ 1, 2, 3 }, 1, 3, 2) end)
tcase("move-back", function() return table.move({ 1, 2, 3, 4 }, 2, 4, 1) end)
tcase("move-other", function() return table.move({ 1, 2, 3 }, 1, 3, 3, { "a" }) end)
tcase("move-empty", function() return table.move({ 1, 2, 3 }, 3, 1, 1, {}) end)
tcase("move-neg", function() return table.move({ [-1] = "m", [0] = "z", 1 }, -1, 1, 1, {}) end)
tcase("move-toomany", function() return table.move({}, math.mininteger, 1, 1, {}) end)
tcase("move-wrap", function() return table.move({}, 1, 3, math.maxinteger, {}) end)
tcase("move-notable", function() return table.move(1, 1, 1, 1) end)
tcase("move-args", function() return table.move({}, 1, 1) end)
tcase("move-proxy", function(log) local p = proxy(log, { 1, 2, 3 }); local q = proxy(log); table.move(p, 1, 3, 2, q) end)
tcase("move-proxy-self", function(log) local p = proxy(log, { 1, 2, 3 }); table.move(p, 1, 3, 2) end)
tcase("concat-basic", function() return table.concat({ 1, "a", 2.5 }) end)
tcase("concat-sep", function() return table.concat({ 1, 2, 3 }, ", ") end)
tcase("concat-range", function() return table.concat({ 1, 2, 3, 4 }, "-", 2, 3) end)
tcase("concat-empty", function() return table.concat({}, "x") end)
tcase("concat-inverted", function() return table.concat({ 1, 2 }, "x", 3, 1) end)
tcase("concat-hole", function() return table.concat({ 1, nil, 3 }, ",", 1, 3) end)
tcase("concat-bad", function() return table.concat({ 1, {}, 3 }) end)
tcase("concat-bool", function() return table.concat({ true }) end)
tcase("concat-proxy", function(log) return table.concat((proxy(log, { "a", "b" })), "+") end)
tcase("concat-notable", function() return table.concat("abc") end)
tcase("unpack-basic", function() return table.unpack({ 1, 2, 3 }) end)
tcase("unpack-range", function() return table.unpack({ 1, 2, 3 }, 2) end)
tcase("unpack-range2", function() return table.unpack({ 1, 2, 3 }, -1, 1) end)
tcase("unpack-empty", function() return table.unpack({}, 3, 2) end)
tcase("unpack-huge", function() return table.unpack({}, 1, 1e8) end)
tcase("unpack-huge2", function() return table.unpack({}, math.mininteger, math.maxinteger) end)
tcase("unpack-proxy", function(log) return table.unpack((proxy(log, { "a", "b" }))) end)
tcase("unpack-string", function() return table.unpack("abc") end)
tcase("sort-basic", function() local t = { 3, 1, 2 }; table.sort(t); return t end)
tcase("sort-cmp", function() local t = { 3, 1, 2 }; table.sort(t, function(a, b) return a > b end); return t end)
tcase("sort-bad", function() local t = { 3, "a", 2 }; table.sort(t); return t end)
tcase("sort-large", function()
  local t, x = {}, 7
  for i = 1, 500 do x = (x * 1103515245 + 12345) % 2147483648; t[i] = x end
  table.sort(t); return t
end)
tcase("sort-large-cmp", function()
  local t = {}
  for i = 1, 300 do t[i] = (i * 7919) % 1009 end
  table.sort(t, function(a, b) return a > b end); return t
end)
tcase("sort-badcmp", function() local t = { 3, 1, 2 }; table.sort(t, 5); return t end)

return table.concat(out, "\n")
