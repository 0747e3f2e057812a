-- Lab 12: thin and thick provisioning. Fill in every answer, then run
--   hyperlab run labs/12-thin-thick-provisioning --submission <this folder>
-- Sizes can be numbers of bytes or strings such as "1.5 GiB".
local M = {}

-- 1. A 40 GiB disk is created with `provisioning` "thin", "thick-lazy" or "thick-eager".
--    How many bytes does it take on the datastore right away?
function M.used_at_creation(provisioning, size)
  return size
end

-- 2. How many seconds does creating the 40 GiB eager-zeroed disk take on an SSD
--    datastore that writes 400 MB/s?
M.eager_zeroing_seconds = nil

-- 3. Each VM writes 10 GiB as fast as the datastore allows. Ratios of the times:
M.first_write_ratio = nil    -- first write on thick-lazy ÷ first write on thick-eager
M.second_write_ratio = nil   -- rewriting the same 10 GiB on thick-lazy ÷ first write on thick-eager

-- 4. A 100 GiB datastore holds three thin 50 GiB web servers, a 20 GiB thick-lazy
--    database and a 20 GiB thin test VM with a snapshot (each VM also has small .vmx,
--    .nvram, log and 100 MiB VMX swap files). The web servers write 40, 30 and 5 GiB of
--    new data; the database keeps rewriting its data; the datastore fills up.
M.provisioned_percent = nil  -- the datastore's provisioned space in % of its capacity
M.paused = {}                -- names of the VMs that pause with a question

-- 5. Recover: env.paused lists the web servers, env.test is the test VM (its snapshot
--    "before-patch" is no longer needed), env.datastore the datastore. Free space and
--    let the paused VMs continue (vm:answer("retry" or "cancel"), vm:delete_snapshot(name)).
function M.recover(env)
end

return M
