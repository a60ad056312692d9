// The P/Invoke layer over libmde, shared by the PowerShell module (Add-Type) and the
// Mono test. Written in C# 5 with no API newer than .NET Framework 4.5, so Windows
// PowerShell 5.1 compiles it: strings cross as NUL-terminated UTF-8 byte arrays,
// out-strings come back as IntPtr and are copied, then freed by the library.
using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace Mde
{
    /// <summary>The status codes of mde.h (stable).</summary>
    public static class MdeStatus
    {
        public const int Ok = 0;
        public const int NullArgument = 1;
        public const int InvalidUtf8 = 2;
        public const int InvalidArgument = 3;
        public const int NotFound = 4;
        public const int NotCancellable = 5;
        public const int Unauthorized = 6;
        public const int Forbidden = 7;
        public const int RateLimited = 8;
        public const int Timeout = 9;
        public const int Network = 10;
        public const int ServerError = 11;
        public const int BadResponse = 12;
        public const int ApiError = 13;
        public const int Panic = 14;

        private static readonly string[] Names = {
            "OK", "NULL_ARGUMENT", "INVALID_UTF8", "INVALID_ARGUMENT", "NOT_FOUND",
            "NOT_CANCELLABLE", "UNAUTHORIZED", "FORBIDDEN", "RATE_LIMITED", "TIMEOUT",
            "NETWORK", "SERVER_ERROR", "BAD_RESPONSE", "API_ERROR", "PANIC"
        };

        /// <summary>The status's stable name, such as NOT_FOUND.</summary>
        public static string Name(int status)
        {
            return status >= 0 && status < Names.Length ? Names[status] : "UNKNOWN";
        }
    }

    /// <summary>A failed libmde call, with every detail of its mde_error.</summary>
    public sealed class MdeException : Exception
    {
        private readonly int status;
        private readonly int httpStatus;
        private readonly string code;
        private readonly long retryAfterMs;
        private readonly string actionStatus;

        public MdeException(int status, int httpStatus, string code, string message,
                            long retryAfterMs, string actionStatus)
            : base(message)
        {
            this.status = status;
            this.httpStatus = httpStatus;
            this.code = code;
            this.retryAfterMs = retryAfterMs;
            this.actionStatus = actionStatus;
        }

        /// <summary>The mde_status code.</summary>
        public int Status { get { return status; } }
        /// <summary>The status's name, such as NOT_FOUND.</summary>
        public string StatusName { get { return MdeStatus.Name(status); } }
        /// <summary>The HTTP status; 0 when no answer came.</summary>
        public int HttpStatus { get { return httpStatus; } }
        /// <summary>The service's error code, or "".</summary>
        public string Code { get { return code; } }
        /// <summary>For RATE_LIMITED, milliseconds until budget frees up; -1 otherwise.</summary>
        public long RetryAfterMs { get { return retryAfterMs; } }
        /// <summary>For NOT_CANCELLABLE, the action's status; "" otherwise.</summary>
        public string ActionStatus { get { return actionStatus; } }
    }

    /// <summary>Owns an mde_client; released with mde_client_free.</summary>
    public sealed class MdeClientHandle : SafeHandle
    {
        public MdeClientHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        protected override bool ReleaseHandle()
        {
            NativeMethods.mde_client_free(handle);
            return true;
        }
    }

    internal static class NativeMethods
    {
        private const string Lib = "mde";

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint mde_abi_version();
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr mde_version();
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr mde_status_str(int status);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int mde_client_new(byte[] configJson, out MdeClientHandle client, out IntPtr error);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void mde_client_free(IntPtr client);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int mde_cancel_action(MdeClientHandle client, byte[] actionId, byte[] comment, out IntPtr actionJson, out IntPtr error);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int mde_get_action(MdeClientHandle client, byte[] actionId, out IntPtr actionJson, out IntPtr error);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int mde_cancel_actions(MdeClientHandle client, byte[] idsJson, byte[] comment, out IntPtr resultsJson, out IntPtr error);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int mde_list_actions(MdeClientHandle client, byte[] filterJson, out IntPtr actionsJson, out IntPtr error);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int mde_error_status(IntPtr error);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int mde_error_http_status(IntPtr error);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern long mde_error_retry_after_ms(IntPtr error);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr mde_error_code(IntPtr error);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr mde_error_message(IntPtr error);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr mde_error_action_status(IntPtr error);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void mde_error_free(IntPtr error);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void mde_string_free(IntPtr s);

        [DllImport("kernel32", CharSet = CharSet.Unicode, SetLastError = true)]
        internal static extern IntPtr LoadLibraryW(string path);
        [DllImport("libdl.so.2", EntryPoint = "dlopen")]
        internal static extern IntPtr dlopen_linux(string path, int flags);
        [DllImport("libdl.so.2", EntryPoint = "dlerror")]
        internal static extern IntPtr dlerror_linux();
        [DllImport("libSystem.dylib", EntryPoint = "dlopen")]
        internal static extern IntPtr dlopen_mac(string path, int flags);
    }

    /// <summary>A libmde client: one per configuration, safe to share between threads.</summary>
    public sealed class MdeClient : IDisposable
    {
        private readonly MdeClientHandle handle;

        /// <summary>Creates a client from mde-core's JSON configuration, or from the
        /// MDE_* environment variables when configJson is null.</summary>
        public MdeClient(string configJson)
        {
            IntPtr error;
            MdeClientHandle created;
            int status = NativeMethods.mde_client_new(Utf8(configJson, "configJson"), out created, out error);
            Check(status, error);
            handle = created;
        }

        /// <summary>Cancels a machine action; returns the action's JSON.</summary>
        public string CancelAction(string actionId, string comment)
        {
            IntPtr json;
            IntPtr error;
            int status = NativeMethods.mde_cancel_action(
                handle, Utf8(actionId, "actionId"), Utf8(comment, "comment"), out json, out error);
            Check(status, error);
            return TakeString(json);
        }

        /// <summary>Reads a machine action; returns its JSON.</summary>
        public string GetAction(string actionId)
        {
            IntPtr json;
            IntPtr error;
            int status = NativeMethods.mde_get_action(handle, Utf8(actionId, "actionId"), out json, out error);
            Check(status, error);
            return TakeString(json);
        }

        /// <summary>Cancels many actions (idsJson: a JSON array of ids); returns a JSON
        /// array with one outcome per id.</summary>
        public string CancelActions(string idsJson, string comment)
        {
            IntPtr json;
            IntPtr error;
            int status = NativeMethods.mde_cancel_actions(
                handle, Utf8(idsJson, "idsJson"), Utf8(comment, "comment"), out json, out error);
            Check(status, error);
            return TakeString(json);
        }

        /// <summary>Lists actions matching filterJson (null: all); returns a JSON array of
        /// the entities.</summary>
        public string ListActions(string filterJson)
        {
            IntPtr json;
            IntPtr error;
            int status = NativeMethods.mde_list_actions(handle, Utf8(filterJson, "filterJson"), out json, out error);
            Check(status, error);
            return TakeString(json);
        }

        public void Dispose()
        {
            handle.Dispose();
        }

        /// <summary>The ABI version of the loaded library.</summary>
        public static uint AbiVersion { get { return NativeMethods.mde_abi_version(); } }

        /// <summary>The loaded library's version.</summary>
        public static string Version { get { return FromUtf8(NativeMethods.mde_version()); } }

        /// <summary>The description of a status code.</summary>
        public static string StatusText(int status)
        {
            return FromUtf8(NativeMethods.mde_status_str(status));
        }

        /// <summary>Loads the native library from a directory (mde.dll, libmde.so or
        /// libmde.dylib), so that later calls find it without a search path.</summary>
        public static void LoadFrom(string directory)
        {
            const int RTLD_NOW = 2;
            const int RTLD_GLOBAL_LINUX = 0x100;
            const int RTLD_GLOBAL_MAC = 0x8;
            PlatformID platform = Environment.OSVersion.Platform;
            if (platform == PlatformID.Win32NT)
            {
                string dll = Path.Combine(directory, "mde.dll");
                if (NativeMethods.LoadLibraryW(dll) == IntPtr.Zero)
                {
                    throw new DllNotFoundException("cannot load " + dll + " (error " + Marshal.GetLastWin32Error() + ")");
                }
                return;
            }
            bool mac = platform == PlatformID.MacOSX || File.Exists("/System/Library/CoreServices/SystemVersion.plist");
            string path = Path.Combine(directory, mac ? "libmde.dylib" : "libmde.so");
            IntPtr loaded = mac
                ? NativeMethods.dlopen_mac(path, RTLD_NOW | RTLD_GLOBAL_MAC)
                : NativeMethods.dlopen_linux(path, RTLD_NOW | RTLD_GLOBAL_LINUX);
            if (loaded == IntPtr.Zero)
            {
                string why = mac ? "" : ": " + FromUtf8(NativeMethods.dlerror_linux());
                throw new DllNotFoundException("cannot load " + path + why);
            }
        }

        private static byte[] Utf8(string text, string name)
        {
            if (text == null)
            {
                return null;
            }
            if (text.IndexOf('\0') >= 0)
            {
                throw new ArgumentException(name + " contains a NUL character", name);
            }
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            byte[] terminated = new byte[bytes.Length + 1];
            Buffer.BlockCopy(bytes, 0, terminated, 0, bytes.Length);
            return terminated;
        }

        private static string FromUtf8(IntPtr p)
        {
            if (p == IntPtr.Zero)
            {
                return "";
            }
            int length = 0;
            while (Marshal.ReadByte(p, length) != 0)
            {
                length++;
            }
            byte[] bytes = new byte[length];
            Marshal.Copy(p, bytes, 0, length);
            return Encoding.UTF8.GetString(bytes);
        }

        private static string TakeString(IntPtr p)
        {
            try
            {
                return FromUtf8(p);
            }
            finally
            {
                NativeMethods.mde_string_free(p);
            }
        }

        // Turns a failed status into an MdeException at once, freeing the mde_error.
        private static void Check(int status, IntPtr error)
        {
            if (status == MdeStatus.Ok)
            {
                return;
            }
            try
            {
                if (error == IntPtr.Zero)
                {
                    throw new MdeException(status, 0, "", StatusText(status), -1, "");
                }
                throw new MdeException(
                    NativeMethods.mde_error_status(error),
                    NativeMethods.mde_error_http_status(error),
                    FromUtf8(NativeMethods.mde_error_code(error)),
                    FromUtf8(NativeMethods.mde_error_message(error)),
                    NativeMethods.mde_error_retry_after_ms(error),
                    FromUtf8(NativeMethods.mde_error_action_status(error)));
            }
            finally
            {
                NativeMethods.mde_error_free(error);
            }
        }
    }
}
