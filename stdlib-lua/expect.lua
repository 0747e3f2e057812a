-- Expectations of lab checks: expect(value, label, unit):to_be_at_most(limit).
-- A failure is recorded by the engine with what was expected and what was found, in the
-- value's unit, and raised so that the check stops there.
local hl, is_lab = ...
if not is_lab then return end

local fail, format, quantity = hl.fail, hl.format, hl.quantity
local type, tostring, pairs, pcall = type, tostring, pairs, pcall
local find, lower = string.find, string.lower
local hash_of = lab and lab.hash

-- Units guessed from a label, most specific first.
local label_units = {
  { "mhz", "MHz" }, { "ghz", "MHz" }, { "cpu speed", "MHz" },
  { "memory", "bytes" }, { "size", "bytes" }, { "bytes", "bytes" }, { "consumed", "bytes" },
  { "balloon", "bytes" }, { "swap", "bytes" }, { "capacity", "bytes" }, { "granted", "bytes" },
  { "overhead", "bytes" }, { "free", "bytes" }, { "compress", "bytes" }, { "shared", "bytes" },
  { "seconds", "seconds" }, { "time", "seconds" }, { "duration", "seconds" }, { "latency", "seconds" },
  { "delay", "seconds" },
  { "%", "%" }, { "percent", "%" }, { "ready", "%" }, { "costop", "%" }, { "co-stop", "%" },
  { "wait", "%" }, { "utili", "%" }, { "used", "%" },
}

local units = { bytes = true, seconds = true, MHz = true, ["%"] = true }

local function unit_of_label(label)
  if not label then return nil end
  local l = lower(label)
  for _, pair in ipairs(label_units) do
    if find(l, pair[1], 1, true) then return pair[2] end
  end
  return nil
end

local Expectation = {}
Expectation.__index = Expectation

local function show(self, v)
  if type(v) == "number" then return format(v, self.unit) end
  if type(v) == "string" then return string.format("%q", v) end
  if type(v) == "table" then return "a table" end
  if type(v) == "function" then return "a function" end
  return tostring(v)
end

local function failed(self, what, expected, actual)
  local prefix = self.label and (self.label .. ": ") or ""
  fail(prefix .. what, expected, actual)
end

-- A number to compare: numbers as they are, quantity strings ("5 GiB") in base units;
-- the first quantity string seen sets the unit of the messages.
local function number(self, v, role)
  if type(v) == "number" then return v end
  if type(v) == "string" then
    local n, unit = quantity(v)
    if n then
      if not self.unit then self.unit = unit end
      return n
    end
  end
  failed(self, "expected " .. role .. " to be a number or a quantity such as \"4 GiB\", got " .. show(self, v),
         nil, show(self, v))
end

local function actual(self)
  return number(self, self.value, "the value")
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

function Expectation:to_equal(expected)
  local v = self.value
  if type(v) == "number" and type(expected) == "string" then expected = number(self, expected, "the expected value") end
  if not deep_equal(v, expected, 0) then
    failed(self, "expected " .. show(self, expected) .. ", got " .. show(self, v), show(self, expected), show(self, v))
  end
  return self
end

function Expectation:to_be_near(expected, tolerance)
  local e = number(self, expected, "the expected value")
  local v = actual(self)
  local tol, shown
  if type(tolerance) == "string" and find(tolerance, "%%%s*$") then
    local pct = tonumber((tolerance:gsub("%%%s*$", "")))
    if not pct then failed(self, "tolerance " .. show(self, tolerance) .. " is not a percentage such as \"5%\"") end
    tol = math.abs(e) * pct / 100
    shown = tolerance
  else
    tol = number(self, tolerance == nil and 0 or tolerance, "the tolerance")
    shown = show(self, tol)
  end
  if math.abs(v - e) > tol then
    failed(self, "expected " .. show(self, e) .. " ± " .. shown .. ", got " .. show(self, v),
           show(self, e) .. " ± " .. shown, show(self, v))
  end
  return self
end

function Expectation:to_be_at_most(limit)
  local l = number(self, limit, "the limit")
  local v = actual(self)
  if not (v <= l) then -- luacheck: ignore 581 (NaN must fail too)
    failed(self, "expected at most " .. show(self, l) .. ", got " .. show(self, v), "at most " .. show(self, l), show(self, v))
  end
  return self
end

function Expectation:to_be_at_least(limit)
  local l = number(self, limit, "the limit")
  local v = actual(self)
  if not (v >= l) then -- luacheck: ignore 581 (NaN must fail too)
    failed(self, "expected at least " .. show(self, l) .. ", got " .. show(self, v), "at least " .. show(self, l), show(self, v))
  end
  return self
end

function Expectation:to_be_between(lo, hi)
  local a, b = number(self, lo, "the lower bound"), number(self, hi, "the upper bound")
  local v = actual(self)
  if not (v >= a and v <= b) then
    local range = "between " .. show(self, a) .. " and " .. show(self, b)
    failed(self, "expected " .. range .. ", got " .. show(self, v), range, show(self, v))
  end
  return self
end

function Expectation:to_be_set()
  if self.value == nil then failed(self, "expected a value, got nil", "a value", "nil") end
  return self
end

function Expectation:to_be_true()
  if self.value ~= true then failed(self, "expected true, got " .. show(self, self.value), "true", show(self, self.value)) end
  return self
end

function Expectation:to_be_false()
  if self.value ~= false then failed(self, "expected false, got " .. show(self, self.value), "false", show(self, self.value)) end
  return self
end

function Expectation:to_be_nil()
  if self.value ~= nil then failed(self, "expected nil, got " .. show(self, self.value), "nil", show(self, self.value)) end
  return self
end

function Expectation:to_contain(item)
  local v = self.value
  if type(v) == "string" and type(item) == "string" then
    if not find(v, item, 1, true) then
      failed(self, "expected " .. show(self, v) .. " to contain " .. show(self, item), show(self, item), show(self, v))
    end
    return self
  end
  if type(v) ~= "table" then
    failed(self, "expected a table or a string to search, got " .. show(self, v), nil, show(self, v))
  end
  for _, x in pairs(v) do
    if deep_equal(x, item, 0) then return self end
  end
  failed(self, "expected the table to contain " .. show(self, item), show(self, item), "no such element")
end

function Expectation:to_match(pattern)
  local v = self.value
  if type(v) ~= "string" or not find(v, pattern) then
    failed(self, "expected " .. show(self, v) .. " to match " .. show(self, pattern), show(self, pattern), show(self, v))
  end
  return self
end

-- Compares the value's hash (lab.hash) with `hash`: a public check can verify an answer
-- without the lab revealing it. The message never shows the expected value.
function Expectation:to_hash(hash)
  if type(hash) ~= "string" or not find(hash, "^sha256:%x+$") then
    error("to_hash: " .. show(self, hash) .. " is not a hash (use the \"sha256:…\" that lab.hash gives)", 2)
  end
  local v = self.value
  local kind = type(v)
  if kind ~= "string" and kind ~= "number" and kind ~= "boolean" then
    failed(self, "expected a string, a number or a boolean, got " .. show(self, v),
           "a value with the expected hash", show(self, v))
  end
  if hash_of(v) ~= hash then
    failed(self, "expected the value whose hash is " .. hash:sub(1, 19) .. "…, got " .. show(self, v),
           "the value whose hash is " .. hash:sub(1, 19) .. "…", show(self, v))
  end
  return self
end

function Expectation:to_error(pattern)
  if type(self.value) ~= "function" then
    failed(self, "expected a function to call, got " .. show(self, self.value), nil, show(self, self.value))
  end
  local ok, err = pcall(self.value)
  if ok then failed(self, "expected an error, but the call succeeded", "an error", "no error") end
  local message = type(err) == "string" and err or tostring(err)
  if pattern and not find(message, pattern) then
    failed(self, "expected an error matching " .. show(self, pattern) .. ", got " .. show(self, message),
           show(self, pattern), show(self, message))
  end
  return self
end

function expect(value, label, unit)
  if label ~= nil and type(label) ~= "string" then
    error("expect: label " .. show({}, label) .. " is not a string", 2)
  end
  if unit ~= nil and not units[unit] then
    error("expect: unit " .. show({}, unit) .. " is not a unit (use \"bytes\", \"seconds\", \"MHz\" or \"%\")", 2)
  end
  return setmetatable({ value = value, label = label, unit = unit or unit_of_label(label) }, Expectation)
end

-- Keep the table out of reach of accidental changes by lab scripts.
Expectation.__metatable = "expectation"
