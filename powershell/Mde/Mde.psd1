@{
    RootModule        = 'Mde.psm1'
    ModuleVersion     = '0.1.0'
    GUID              = '6f1d3c52-4b1e-4f0e-9a53-2f6c1d9e8a71'
    Author            = 'mde-cancel developers'
    Description       = 'Cancel Microsoft Defender for Endpoint machine actions through libmde, with exact rate limits and safe retries.'
    PowerShellVersion = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FunctionsToExport = @('Connect-MdeClient', 'Stop-MdeMachineAction', 'Get-MdeMachineAction')
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
    FileList          = @('Mde.psm1', 'MdeNative.cs')
}
