-- Reading a submission's answers in lab scripts: quantities given as numbers in the base
-- unit or as strings such as "1.5 GiB" or "2 GHz".
local _, is_lab = ...
local bytes, type, pcall = lab.bytes, type, pcall

--- A number of bytes from a number or a size string; nil when `v` is neither.
function lab.size_of(v)
  if type(v) == "number" then
    -- NaN and infinities are no size
    if v ~= v or v == math.huge or v == -math.huge then return nil end
    return v
  end
  if type(v) ~= "string" then return nil end
  local ok, b = pcall(bytes, v)
  return ok and b or nil
end

if not is_lab then return end

--- `answer[name]` in `unit`; inside a check, a missing answer or one of the wrong kind
--- fails it with a message naming M.<name>. Without a unit, the answer as it is.
local lua_kinds = { ["function"] = true, table = true, string = true, boolean = true }

function lab.answer(answer, name, unit)
  if lua_kinds[unit] then
    expect(answer[name], "M." .. name):to_be_a(unit)
    return answer[name]
  end
  local e = expect(answer[name], "M." .. name, unit)
  e:to_be_set()
  if unit == nil then return answer[name] end
  return e:number()
end

function lab.answer_bytes(answer, name)
  return lab.answer(answer, name, "bytes")
end
