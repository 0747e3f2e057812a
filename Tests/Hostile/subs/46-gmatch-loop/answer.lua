-- Every step of a gmatch loop is one long C call.
return { value = 42, f = function()
  local n = 0
  for _ in string.gmatch(string.rep("a", 3000), "a-a-a-b") do n = n + 1 end
  return 42 + n
end }
