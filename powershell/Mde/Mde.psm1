# The Mde PowerShell module: cancels Microsoft Defender for Endpoint machine actions
# through libmde (the native library next to this file) over P/Invoke.

Set-StrictMode -Version 3

# The interop source is compiled once per session; the native library is loaded by
# full path from this folder, so no search path is needed on Windows, Linux or macOS.
if (-not ('Mde.MdeClient' -as [type])) {
    Add-Type -Path (Join-Path $PSScriptRoot 'MdeNative.cs')
}
[Mde.MdeClient]::LoadFrom($PSScriptRoot)

$script:DefaultClient = $null

function ConvertTo-MdeErrorRecord {
    param([Mde.MdeException]$Exception, [string]$Target)
    $category = switch ($Exception.StatusName) {
        'INVALID_ARGUMENT' { 'InvalidArgument' }
        'INVALID_UTF8'     { 'InvalidArgument' }
        'NULL_ARGUMENT'    { 'InvalidArgument' }
        'NOT_FOUND'        { 'ObjectNotFound' }
        'NOT_CANCELLABLE'  { 'InvalidOperation' }
        'UNAUTHORIZED'     { 'AuthenticationError' }
        'FORBIDDEN'        { 'PermissionDenied' }
        'RATE_LIMITED'     { 'LimitsExceeded' }
        'TIMEOUT'          { 'OperationTimeout' }
        'NETWORK'          { 'ConnectionError' }
        default            { 'NotSpecified' }
    }
    # The exception carries Status, StatusName, HttpStatus, Code, Message,
    # RetryAfterMs and ActionStatus.
    New-Object System.Management.Automation.ErrorRecord(
        $Exception, "Mde.$($Exception.StatusName)", $category, $Target)
}

function ConvertTo-MdeMachineAction {
    param([string]$Json)
    $action = $Json | ConvertFrom-Json
    $action.PSObject.TypeNames.Insert(0, 'Mde.MachineAction')
    $action
}

function Resolve-MdeClient {
    param($Client)
    if ($Client) { return $Client }
    if ($script:DefaultClient) { return $script:DefaultClient }
    throw 'No client: run Connect-MdeClient first, or pass -Client.'
}

<#
.SYNOPSIS
Creates the client the other commands use (and returns it).
.DESCRIPTION
Parameters are mde-core's configuration keys: a -Token, or an app registration
(-TenantId, -ClientId and -ClientSecret, or -CertificatePath with a PEM or .pfx file and
-CertificatePassword when it is encrypted). With none, the MDE_* and
AZURE_* environment variables configure the client. -ConfigJson passes a whole JSON
configuration.
#>
function Connect-MdeClient {
    [CmdletBinding(DefaultParameterSetName = 'Keys')]
    param(
        [Parameter(ParameterSetName = 'Keys')][string]$BaseUrl,
        [Parameter(ParameterSetName = 'Keys')][ValidateSet('public', 'gcc', 'gcc-high', 'dod')][string]$Cloud,
        [Parameter(ParameterSetName = 'Keys')][ValidateSet('us', 'eu', 'uk', 'au', 'swa', 'ina', 'aea')][string]$Region,
        [Parameter(ParameterSetName = 'Keys')][string]$Token,
        [Parameter(ParameterSetName = 'Keys')][string]$TenantId,
        [Parameter(ParameterSetName = 'Keys')][string]$ClientId,
        [Parameter(ParameterSetName = 'Keys')][securestring]$ClientSecret,
        [Parameter(ParameterSetName = 'Keys')][string]$CertificatePath,
        [Parameter(ParameterSetName = 'Keys')][securestring]$CertificatePassword,
        [Parameter(ParameterSetName = 'Keys')][string]$AuthorityHost,
        [Parameter(ParameterSetName = 'Keys')][string]$Scope,
        [Parameter(ParameterSetName = 'Keys')][string]$CaCertificatePath,
        [Parameter(ParameterSetName = 'Keys')][ValidateRange(1, 3600000)][int]$TimeoutMs,
        [Parameter(ParameterSetName = 'Keys')][hashtable[]]$RateLimits,
        [Parameter(ParameterSetName = 'Keys')][int]$RateLimitMarginMs,
        [Parameter(ParameterSetName = 'Keys')][int]$MaxWaitMs,
        [Parameter(ParameterSetName = 'Keys')][ValidateRange(0, 10)][int]$MaxRetries,
        [Parameter(ParameterSetName = 'Keys')][int]$RetryBaseMs,
        [Parameter(ParameterSetName = 'Keys')][int]$RetryCapMs,
        [Parameter(ParameterSetName = 'Json', Mandatory = $true)][string]$ConfigJson
    )
    $keys = @{
        BaseUrl = 'base_url'; Cloud = 'cloud'; Region = 'region'; Token = 'token'
        TenantId = 'tenant_id'; ClientId = 'client_id'; CertificatePath = 'client_certificate_path'
        AuthorityHost = 'authority_host'; Scope = 'scope'; CaCertificatePath = 'ca_certificate_path'
        TimeoutMs = 'timeout_ms'; RateLimits = 'rate_limits'
        RateLimitMarginMs = 'rate_limit_margin_ms'; MaxWaitMs = 'max_wait_ms'
        MaxRetries = 'max_retries'; RetryBaseMs = 'retry_base_ms'; RetryCapMs = 'retry_cap_ms'
    }
    $json = $null
    if ($PSCmdlet.ParameterSetName -eq 'Json') {
        $json = $ConfigJson
    } else {
        $config = @{}
        foreach ($name in $PSBoundParameters.Keys) {
            if ($keys.ContainsKey($name)) { $config[$keys[$name]] = $PSBoundParameters[$name] }
        }
        # Secrets are plain text only in the JSON handed to the library, never stored.
        if ($ClientSecret) {
            $config['client_secret'] = (New-Object System.Net.NetworkCredential('', $ClientSecret)).Password
        }
        if ($CertificatePassword) {
            $config['client_certificate_password'] = (New-Object System.Net.NetworkCredential('', $CertificatePassword)).Password
        }
        if ($config.Count -gt 0) { $json = ConvertTo-Json -InputObject $config -Compress -Depth 5 }
    }
    try {
        $script:DefaultClient = New-Object Mde.MdeClient -ArgumentList (, $json)
    } catch [Mde.MdeException] {
        $PSCmdlet.ThrowTerminatingError((ConvertTo-MdeErrorRecord $_.Exception 'configuration'))
    }
    $script:DefaultClient
}

<#
.SYNOPSIS
Cancels machine actions that are not final yet. Takes ids from the pipeline; shows
progress with Write-Progress. The library paces the calls to the rate limits.
#>
function Stop-MdeMachineAction {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param(
        [Parameter(Mandatory = $true, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('ActionId')][string[]]$Id,
        [Parameter(Mandatory = $true)][string]$Comment,
        [Mde.MdeClient]$Client
    )
    begin {
        $c = Resolve-MdeClient $Client
        $selected = New-Object System.Collections.Generic.List[string]
    }
    process {
        foreach ($actionId in $Id) {
            if ($PSCmdlet.ShouldProcess($actionId, 'Cancel machine action')) { $selected.Add($actionId) }
        }
    }
    end {
        $done = 0
        foreach ($actionId in $selected) {
            Write-Progress -Activity 'Cancelling machine actions' -Status "$done of $($selected.Count)" `
                -PercentComplete ([int](100 * $done / [Math]::Max(1, $selected.Count)))
            try {
                ConvertTo-MdeMachineAction $c.CancelAction($actionId, $Comment)
            } catch [Mde.MdeException] {
                Write-Progress -Activity 'Cancelling machine actions' -Completed
                $PSCmdlet.ThrowTerminatingError((ConvertTo-MdeErrorRecord $_.Exception $actionId))
            }
            $done++
        }
        Write-Progress -Activity 'Cancelling machine actions' -Completed
    }
}

<#
.SYNOPSIS
Reads machine actions by id (from the pipeline), or lists them with filters.
#>
function Get-MdeMachineAction {
    [CmdletBinding(DefaultParameterSetName = 'Filter')]
    param(
        [Parameter(ParameterSetName = 'Id', Mandatory = $true, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('ActionId')][string[]]$Id,
        [Parameter(ParameterSetName = 'Filter')][string[]]$Status,
        [Parameter(ParameterSetName = 'Filter')][string[]]$Type,
        [Parameter(ParameterSetName = 'Filter')][string]$MachineId,
        [Parameter(ParameterSetName = 'Filter')][string]$Requestor,
        [Parameter(ParameterSetName = 'Filter')][datetime]$Since,
        [Parameter(ParameterSetName = 'Filter')][datetime]$Until,
        [Parameter(ParameterSetName = 'Filter')][int]$Top,
        [Mde.MdeClient]$Client
    )
    begin { $c = Resolve-MdeClient $Client }
    process {
        if ($PSCmdlet.ParameterSetName -eq 'Filter') {
            $filter = @{}
            if ($Status) { $filter['status'] = @($Status) }
            if ($Type) { $filter['type'] = @($Type) }
            if ($MachineId) { $filter['machine_id'] = $MachineId }
            if ($Requestor) { $filter['requestor'] = $Requestor }
            if ($PSBoundParameters.ContainsKey('Since')) { $filter['created_after'] = $Since.ToUniversalTime().ToString('o') }
            if ($PSBoundParameters.ContainsKey('Until')) { $filter['created_before'] = $Until.ToUniversalTime().ToString('o') }
            if ($PSBoundParameters.ContainsKey('Top')) { $filter['top'] = $Top }
            try {
                $json = $c.ListActions((ConvertTo-Json -InputObject $filter -Compress -Depth 5))
            } catch [Mde.MdeException] {
                $PSCmdlet.ThrowTerminatingError((ConvertTo-MdeErrorRecord $_.Exception 'list'))
            }
            foreach ($action in ($json | ConvertFrom-Json)) {
                $action.PSObject.TypeNames.Insert(0, 'Mde.MachineAction')
                $action
            }
            return
        }
        foreach ($actionId in $Id) {
            try {
                ConvertTo-MdeMachineAction $c.GetAction($actionId)
            } catch [Mde.MdeException] {
                $PSCmdlet.ThrowTerminatingError((ConvertTo-MdeErrorRecord $_.Exception $actionId))
            }
        }
    }
}

Export-ModuleMember -Function Connect-MdeClient, Stop-MdeMachineAction, Get-MdeMachineAction
