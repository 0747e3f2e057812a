-- Carriage returns and bidirectional overrides that hide or reorder what a grader reads.
print("failed\r✓ passed  1/1")
return { value = "41\r42", f = function() return "\u{202E}24" end }
