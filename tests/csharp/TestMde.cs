// The PowerShell module's interop source (powershell/Mde/MdeNative.cs), run with Mono
// against libmde and the emulator, loading the library exactly as the module does.
// Usage: mono TestMde.exe BASE_URL LIBRARY_DIR
using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Mde;

public static class TestMde
{
    private static int passed;
    private static int failed;

    private static void Check(bool ok, string what)
    {
        if (ok) { passed++; } else { failed++; Console.Error.WriteLine("FAIL: " + what); }
    }

    private static MdeException Expect(Action call)
    {
        try { call(); }
        catch (MdeException e) { return e; }
        return null;
    }

    private static string PendingId(int i)
    {
        return "10000000-0000-4000-8000-" + i.ToString("D12");
    }

    public static int Main(string[] args)
    {
        // As the module does: load the library by directory first. Mono binds a
        // method's P/Invokes when it compiles that method, so the calls live in Run.
        MdeClient.LoadFrom(args[1]);
        return Run(args[0]);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Run(string url)
    {
        Check(MdeClient.AbiVersion == 1, "abi version");
        Check(MdeClient.Version.Length > 0, "version");
        Check(MdeClient.StatusText(MdeStatus.NotFound) == "machine action not found", "status text");

        MdeException bad = Expect(delegate { new MdeClient("{\"bogus_key\": 1}"); });
        Check(bad != null && bad.Status == MdeStatus.InvalidArgument && bad.Message.Contains("bogus_key"),
              "unknown config key");

        string config = "{\"base_url\": \"" + url + "\", \"token\": \"cs-test\", \"rate_limits\": [], \"timeout_ms\": 10000}";
        using (MdeClient client = new MdeClient(config))
        {
            string json = client.CancelAction(PendingId(0), "annul\u00e9 depuis C#");
            Check(json.Contains("\"status\":\"Cancelled\""), "cancel: " + json);
            Check(json.Contains("annul\u00e9 depuis C#"), "UTF-8 comment round trip");

            MdeException e = Expect(delegate { client.GetAction("30000000-0000-4000-8000-000000000000"); });
            Check(e != null && e.Status == MdeStatus.NotFound && e.StatusName == "NOT_FOUND", "not found");
            Check(e != null && e.HttpStatus == 404 && e.Code == "NotFound" && e.RetryAfterMs == -1, "not found details");

            e = Expect(delegate { client.CancelAction("20000000-0000-4000-8000-000000000001", "late"); });
            Check(e != null && e.Status == MdeStatus.NotCancellable && e.ActionStatus == "Succeeded", "not cancellable");

            e = Expect(delegate { client.CancelAction("../../machines", "x"); });
            Check(e != null && e.Status == MdeStatus.InvalidArgument && e.Message.Contains("../../machines"), "invalid id");

            bool nul = false;
            try { client.CancelAction(PendingId(1), "a\0b"); } catch (ArgumentException) { nul = true; }
            Check(nul, "a NUL inside a string is refused before the call");

            string results = client.CancelActions(
                "[\"40000000-0000-4000-8000-000000000002\", \"20000000-0000-4000-8000-000000000001\", \"bad\"]",
                "bulk from C#");
            Check(results.Contains("\"outcome\":\"cancelled\"") && results.Contains("\"outcome\":\"not_cancellable\"")
                  && results.Contains("\"outcome\":\"invalid_id\""), "bulk outcomes: " + results);
            string listed = client.ListActions("{\"status\": [\"Succeeded\"]}");
            Check(listed.StartsWith("[") && listed.Contains("20000000-0000-4000-8000-000000000001"), "list: " + listed);
            e = Expect(delegate { client.ListActions("{\"bogus\": 1}"); });
            Check(e != null && e.Status == MdeStatus.InvalidArgument && e.Message.Contains("bogus"), "unknown filter key");

            int ok = 0;
            Thread[] threads = new Thread[8];
            for (int t = 0; t < threads.Length; t++)
            {
                int first = 1 + t * 50;
                threads[t] = new Thread(delegate ()
                {
                    for (int i = 0; i < 50; i++)
                    {
                        string r = client.CancelAction(PendingId(first + i), "bulk from C#");
                        if (r.Contains("\"Cancelled\"")) { Interlocked.Increment(ref ok); }
                    }
                });
                threads[t].Start();
            }
            foreach (Thread t in threads) { t.Join(); }
            Check(ok == 400, "8 threads x 50 cancels: " + ok);
        }

        Console.WriteLine(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }
}
