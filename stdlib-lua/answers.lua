-- Reading a submission's answers in lab scripts: sizes given as numbers of bytes or as
-- strings such as "1.5 GiB".
local _, is_lab = ...
local bytes, type, pcall = lab.bytes, type, pcall

--- A number of bytes from a number or a size string; nil when `v` is neither.
function lab.size_of(v)
  if type(v) == "number" then return v end
  if type(v) ~= "string" then return nil end
  local ok, b = pcall(bytes, v)
  return ok and b or nil
end

if not is_lab then return end

--- `answer[name]` as bytes; inside a check, a missing answer or one that is not a size
--- fails it with "M.<name>: expected a value, got nil" or "... as a size".
function lab.answer_bytes(answer, name)
  expect(answer[name], "M." .. name):to_be_set()
  local b = lab.size_of(answer[name])
  expect(b, "M." .. name .. " as a size"):to_be_set()
  return b
end
