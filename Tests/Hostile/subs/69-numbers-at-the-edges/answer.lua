-- Integer and float extremes wherever the lab reads or shows a number.
return { value = math.mininteger, f = function()
  local bad = { 0 / 0, math.huge, -math.huge, 1e300, math.maxinteger, math.mininteger, 2 ^ 63 }
  for _, x in ipairs(bad) do
    pcall(lab.bytes, x); pcall(lab.seconds, x); pcall(lab.mhz, x); pcall(lab.format.seconds, x)
    pcall(lab.format.mhz, x); pcall(lab.format.percent, x); pcall(lab.sample_interval, x)
    pcall(lab.statistics_level, x); pcall(lab.seed, x); pcall(lab.hash, x)
  end
  return -0.0 / 0
end }
