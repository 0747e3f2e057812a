-- Expectations of lab checks: expect(value, label, unit):to_be_at_most(limit).
-- A failure is recorded by the engine with the full message (what was expected and what
-- was found, for the author and instructor) and the student's version of it, which
-- names only the student's value; the check's reveal setting picks what students see.
local hl, is_lab = ...
if not is_lab then return end

local fail, format, quantity = hl.fail, hl.format, hl.quantity
local type, tostring, pairs, ipairs, pcall, error = type, tostring, pairs, ipairs, pcall, error
local getmetatable, setmetatable, tonumber, select = getmetatable, setmetatable, tonumber, select
local find, sort, concat, abs = string.find, table.sort, table.concat, math.abs
local hash_of, suggest = lab and lab.hash, hl.suggest

-- The units a check can declare, and what a value of each is called in messages.
local kinds = {
  bytes = "a size", seconds = "a duration", MHz = "a CPU speed", ["%"] = "a percentage",
  ["bytes/s"] = "a rate", cycles = "an amount of work", count = "a count", fraction = "a fraction",
  number = "a number",
}
local examples = {
  bytes = "\"4 GiB\" or a number of bytes", seconds = "\"50 ms\", \"5 min\" or a number of seconds",
  MHz = "\"2.4 GHz\" or a number of MHz", ["%"] = "\"65%\" or a number from 0 to 100",
  ["bytes/s"] = "\"200 MB/s\" or a number of bytes per second", cycles = "\"10 Gcycles\" or a number of cycles",
  count = "3", fraction = "0.25 or \"25%\"", number = "1.5",
}
local unit_names = {}
for u in pairs(kinds) do unit_names[#unit_names + 1] = "\"" .. u .. "\"" end
sort(unit_names)

local Expectation = {}
local methods = {}

-- A string as messages quote it: at most QUOTED bytes of it (cut between UTF-8
-- sequences) and an ellipsis with its size, so a message never grows with the answer.
local QUOTED = 80
local function quote(s)
  if #s <= QUOTED then return string.format("%q", s) end
  local cut = QUOTED
  while cut > 0 and ((s:byte(cut + 1) or 0) & 0xC0) == 0x80 do cut = cut - 1 end
  return string.format("%q", s:sub(1, cut)):sub(1, -2) .. "…\" (" .. #s .. " bytes)"
end

-- A table by its content, bounded: "{ 1, 2, 3 }", "{ a = 1, b = "x" }".
local function show_table(t, depth)
  if depth > 2 then return "{…}" end
  local keys, n = {}, #t
  for k in pairs(t) do
    if not (math.type(k) == "integer" and k >= 1 and k <= n) then keys[#keys + 1] = k end
  end
  sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  local parts = {}
  local function item(v)
    if type(v) == "table" then return show_table(v, depth + 1) end
    if type(v) == "string" then return quote(v) end
    return tostring(v)
  end
  for i = 1, n do
    parts[#parts + 1] = item(t[i])
    if #parts >= 12 then break end
  end
  for _, k in ipairs(keys) do
    if #parts >= 12 then parts[#parts + 1] = "…"; break end
    parts[#parts + 1] = (type(k) == "string" and #k > QUOTED and quote(k) or tostring(k)) .. " = " .. item(t[k])
  end
  if #parts == 0 then return "{}" end
  return "{ " .. concat(parts, ", ") .. " }"
end

local function show(self, v, other)
  if type(v) == "number" then
    if type(other) == "number" then return (format(v, self.unit, other)) end
    return (format(v, self.unit))
  end
  if type(v) == "string" then return quote(v) end
  if type(v) == "table" then return (show_table(v, 1)) end
  if type(v) == "function" then return "a function" end
  return tostring(v)
end

local function subject(self) return self.label and (self.label .. ": ") or "" end

-- Records a failed expectation and stops the check. `student` is what a student sees by
-- default: it never holds the expected value. `direction` is "too high" or "too low".
local function failed(self, message, expected, actual, student, direction)
  fail(subject(self) .. message, expected, actual, student and (subject(self) .. student) or nil, direction)
end

-- A failure that reveals nothing: a missing answer or one of the wrong kind.
local function refused(self, message, actual)
  failed(self, message, nil, actual, message)
end

-- The number a value stands for, in the unit declared; nil and a reason otherwise.
local function convert(self, v)
  local unit = self.unit
  if v == nil then return nil, "no answer (nil)" end
  if type(v) == "number" then
    if v ~= v then return nil, "not a number (NaN)" end
    if unit == "count" and math.type(v) ~= "integer" and v ~= math.floor(v) then
      return nil, format(v) .. " is not a whole number"
    end
    return v
  end
  if type(v) ~= "string" then
    return nil, (unit and kinds[unit] or "a number") .. " was asked, got " .. show(self, v)
  end
  if unit == "count" or unit == "fraction" or unit == "number" or unit == nil then
    local n = tonumber(v)
    if n then return n end
  end
  local n, kind = quantity(v)
  if not n then
    if unit then
      return nil, show(self, v) .. " is not " .. kinds[unit] .. " (use e.g. " .. examples[unit] .. ")"
    end
    return nil, show(self, v) .. " is not a number or a quantity such as \"4 GiB\""
  end
  if unit == "fraction" and kind == "%" then return n / 100 end
  if unit == "number" then return nil, "a number was asked, you gave " .. kinds[kind] .. " (" .. show(self, v) .. ")" end
  if unit == nil then
    self.unit = kind
    return n
  end
  if kind ~= unit then
    return nil, kinds[unit] .. " was asked, you gave " .. kinds[kind] .. " (" .. show(self, v) .. ")"
  end
  return n
end

-- The value under test as a number: a student's answer of the wrong kind fails the check.
local function actual(self)
  local n, why = convert(self, self.value)
  if n == nil then refused(self, why, show(self, self.value)) end
  return n
end

-- A number the author gave a matcher (expected value, limit, tolerance): a wrong kind is
-- the author's mistake, raised at the lab script's line.
local function given(self, v, role, level)
  local before = self.unit
  local n, why = convert(self, v)
  if n == nil then
    if before and type(v) == "string" and quantity(v) then
      error(role .. " " .. show(self, v) .. " is " .. kinds[select(2, quantity(v))] .. ", but this expectation is about "
            .. kinds[before] .. " (" .. before .. ")", level + 1)
    end
    error(role .. ": " .. why, level + 1)
  end
  return n
end

local function deep_equal(a, b, depth)
  if a == b then return true end
  if type(a) ~= "table" or type(b) ~= "table" or depth > 20 then return false end
  for k, v in pairs(a) do
    if not deep_equal(v, b[k], depth + 1) then return false end
  end
  for k in pairs(b) do
    if a[k] == nil then return false end
  end
  return true
end

local function direction(v, e)
  if v > e then return "too high" end
  if v < e then return "too low" end
  return nil
end

-- Every matcher checks that it was called with a colon, so expect(x).to_equal(y) says so.
local function matcher(name, body)
  methods[name] = function(self, ...)
    if getmetatable(self) ~= "expectation" then
      error("expect(...)." .. name .. ": call matchers with a colon: expect(x):" .. name .. "(...)", 2)
    end
    local result = body(self, ...)  -- not a tail call: error levels count this frame
    return result
  end
end

matcher("to_equal", function(self, expected)
  local v = self.value
  if type(expected) == "number" or (type(expected) == "string" and quantity(expected)) then
    local e = given(self, expected, "to_equal: the expected value", 3)
    local n = actual(self)
    if n ~= e then
      local shown = show(self, n, e)
      failed(self, "expected " .. show(self, e, n) .. ", got " .. shown, show(self, e, n), shown,
             shown .. " is not the right value", direction(n, e))
    end
    return self
  end
  if not deep_equal(v, expected, 0) then
    if v == nil then refused(self, "no answer (nil)", "nil") end
    local shown = show(self, v)
    failed(self, "expected " .. show(self, expected) .. ", got " .. shown, show(self, expected), shown,
           shown .. " is not the right value")
  end
  return self
end)

matcher("to_be_near", function(self, expected, tolerance)
  local e = given(self, expected, "to_be_near: the expected value", 3)
  local tol, shown
  if type(tolerance) == "string" and find(tolerance, "%%%s*$") then
    local pct = tonumber((tolerance:gsub("%%%s*$", "")))
    if not pct or pct < 0 then
      error("to_be_near: tolerance " .. show(self, tolerance) .. " is not a percentage such as \"5%\"", 3)
    end
    tol = abs(e) * pct / 100
    shown = pct > 0 and (" ± " .. tolerance:gsub("%s*%%%s*$", " %%")) or ""
  else
    tol = tolerance == nil and 0 or given(self, tolerance, "to_be_near: the tolerance", 3)
    if tol < 0 then error("to_be_near: the tolerance " .. show(self, tolerance) .. " is negative", 3) end
    -- a tolerance too small to print is a guard against rounding, not a figure to show
    shown = (tol > 0 and tol >= abs(e) * 1e-6) and (" ± " .. show(self, tol)) or ""
  end
  local v = actual(self)
  if not (abs(v - e) <= tol) then -- luacheck: ignore 581 (NaN must fail too)
    local got = show(self, v, e)
    -- the expected value with the digits its tolerance resolves (66.75 % ± 0.01 %, not 66.8 %)
    local want = show(self, e, (tol > 0 and tol < abs(v - e)) and e + tol or v)
    failed(self, "expected " .. want .. shown .. ", got " .. got, want .. shown, got,
           got .. " is not close enough to the right value", direction(v, e))
  end
  return self
end)

-- A one-sided bound says which side failed: the matcher shows it anyway.
local function bound(name, test, phrase, beyond)
  matcher(name, function(self, limit)
    local l = given(self, limit, name .. ": the limit", 3)
    local v = actual(self)
    if not test(v, l) then
      local got = show(self, v, l)
      local want = phrase .. " " .. show(self, l, v)
      failed(self, "expected " .. want .. ", got " .. got, want, got, got .. beyond, direction(v, l))
    end
    return self
  end)
end
bound("to_be_at_most", function(v, l) return v <= l end, "at most", " is more than allowed")
bound("to_be_at_least", function(v, l) return v >= l end, "at least", " is less than required")

matcher("to_be_between", function(self, lo, hi)
  local a = given(self, lo, "to_be_between: the lower bound", 3)
  local b = given(self, hi, "to_be_between: the upper bound", 3)
  local v = actual(self)
  if not (v >= a and v <= b) then
    local got = show(self, v, v < a and a or b)
    local range = "between " .. show(self, a, v) .. " and " .. show(self, b, v)
    failed(self, "expected " .. range .. ", got " .. got, range, got, got .. " is outside the allowed range",
           v < a and "too low" or "too high")
  end
  return self
end)

matcher("to_be_set", function(self)
  if self.value == nil then refused(self, "no answer (nil)", "nil") end
  return self
end)

-- Of a Lua type ("function", "table", "string", "number", "boolean"): a student's value of
-- another type fails saying what it is, which gives nothing away.
local lua_types = { ["function"] = "a function", table = "a table", string = "a string", number = "a number",
                    boolean = "true or false" }
matcher("to_be_a", function(self, kind)
  if not lua_types[kind] then
    error("to_be_a: " .. show(self, kind)
          .. " is not a Lua type (use \"function\", \"table\", \"string\", \"number\" or \"boolean\")", 3)
  end
  if self.value == nil then refused(self, "no answer (nil)", "nil") end
  if type(self.value) ~= kind then
    refused(self, lua_types[kind] .. " was asked, got " .. show(self, self.value), show(self, self.value))
  end
  return self
end)

local function literal(name, want)
  matcher(name, function(self)
    if self.value ~= want then
      if self.value == nil and want ~= nil then refused(self, "no answer (nil)", "nil") end
      local got = show(self, self.value)
      failed(self, "expected " .. tostring(want) .. ", got " .. got, tostring(want), got, got .. " is not right")
    end
    return self
  end)
end
literal("to_be_true", true)
literal("to_be_false", false)
literal("to_be_nil", nil)

matcher("to_contain", function(self, item)
  local v = self.value
  if type(v) == "string" and type(item) == "string" then
    if not find(v, item, 1, true) then
      failed(self, "expected " .. show(self, v) .. " to contain " .. show(self, item), show(self, item), show(self, v),
             show(self, v) .. " does not hold what was expected")
    end
    return self
  end
  if type(v) ~= "table" then
    if v == nil then refused(self, "no answer (nil)", "nil") end
    refused(self, "a table or a string was asked, got " .. show(self, v), show(self, v))
  end
  for _, x in pairs(v) do
    if deep_equal(x, item, 0) then return self end
  end
  failed(self, "expected " .. show(self, v) .. " to contain " .. show(self, item), show(self, item), show(self, v),
         show(self, v) .. " does not hold what was expected")
end)

matcher("to_match", function(self, pattern)
  local v = self.value
  if type(v) ~= "string" then
    if v == nil then refused(self, "no answer (nil)", "nil") end
    refused(self, "a string was asked, got " .. show(self, v), show(self, v))
  end
  if not find(v, pattern) then
    failed(self, "expected " .. show(self, v) .. " to match " .. show(self, pattern), show(self, pattern), show(self, v),
           show(self, v) .. " does not have the expected form")
  end
  return self
end)

-- Compares the value's hash (lab.hash) with `hash`: a public check can verify an answer
-- without the lab revealing it. No message ever shows the expected value.
matcher("to_hash", function(self, hash)
  if type(hash) ~= "string" or not find(hash, "^sha256:%x+$") then
    error("to_hash: " .. show(self, hash) .. " is not a hash (use the \"sha256:…\" that lab.hash gives)", 3)
  end
  local v = self.value
  local kind = type(v)
  if v == nil then refused(self, "no answer (nil)", "nil") end
  if kind ~= "string" and kind ~= "number" and kind ~= "boolean" then
    refused(self, "a string, a number or a boolean was asked, got " .. show(self, v), show(self, v))
  end
  if self.unit and kind ~= "boolean" then v = actual(self) end
  if hash_of(v) ~= hash then
    local got = show(self, v)
    failed(self, got .. " is not the right value (compared by hash)", "the value whose hash is " .. hash:sub(1, 19) .. "…",
           got, got .. " is not the right value")
  end
  return self
end)

matcher("to_error", function(self, pattern)
  if type(self.value) ~= "function" then
    if self.value == nil then refused(self, "no answer (nil)", "nil") end
    refused(self, "a function to call was asked, got " .. show(self, self.value), show(self, self.value))
  end
  local ok, err = pcall(self.value)
  if ok then failed(self, "expected an error, but the call succeeded", "an error", "no error", "the call succeeded") end
  local message = type(err) == "string" and err or tostring(err)
  if pattern and not find(message, pattern) then
    failed(self, "expected an error matching " .. show(self, pattern) .. ", got " .. show(self, message),
           show(self, pattern), show(self, message), "the call failed, but not as expected: " .. show(self, message))
  end
  return self
end)

--- The value in the declared unit (for lab.answer): fails the check like a matcher.
function methods.number(self) return actual(self) end

local matcher_names = {}
for name in pairs(methods) do if name ~= "number" then matcher_names[#matcher_names + 1] = name end end
sort(matcher_names)

local fields = { value = true, label = true, unit = true }
Expectation.__index = function(_, key)
  local m = methods[key]
  if m then return m end
  if fields[key] then return nil end
  error("expect(...): no matcher " .. tostring(key) .. suggest(tostring(key), concat(matcher_names, "\n"))
        .. " (matchers: " .. concat(matcher_names, ", ") .. ")", 2)
end
Expectation.__metatable = "expectation"

function expect(value, label, unit, ...)
  if select("#", ...) > 0 then
    error("expect: takes (value, label, unit); matchers take the expected value: expect(x, \"label\"):to_equal(y)", 2)
  end
  if label ~= nil and type(label) ~= "string" then
    error("expect: label " .. show({}, label) .. " is not a string", 2)
  end
  if unit ~= nil and not kinds[unit] then
    error("expect: unit " .. show({}, unit) .. " is not a unit (use " .. concat(unit_names, ", ") .. ")", 2)
  end
  return setmetatable({ value = value, label = label, unit = unit }, Expectation)
end
