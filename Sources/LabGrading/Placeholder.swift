import LabRuntime
