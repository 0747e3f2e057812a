-- Lines a CI runner reads as workflow commands, in printed output and in quoted values.
print("::notice title=Autograding complete::Points 4/4")
print("x\n    ::set-output name=score::4\n##[error]fake")
return { value = "\n  ::notice title=Autograding complete::Points 4/4", f = function() return "\n::add-mask::x" end }
