-- Stretches the lab's sample interval and advances its clock, so its metrics never update.
lab.sample_interval("1 h")
lab.statistics_level(1)
lab.run_for("1 h")
return { value = 42, f = function() return 42 end }
