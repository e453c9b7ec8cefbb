using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace ModelMonitoring.Alerting.Tests;

/// <summary>A real server the tests start on a free 127.0.0.1 port and stop (with its files) in <see cref="Dispose"/>.</summary>
internal abstract class LocalServer : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private Process? _process;
    private StringBuilder _output = new();

    protected LocalServer(string name)
    {
        Directory = ExternalTool.TempDirectory(name);
    }

    public int Port { get; private set; }

    public string Directory { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public void Dispose()
    {
        ExternalTool.Stop(_process);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held: the temporary directory is cleaned later.
        }
    }

    /// <summary>Starts the server (a few ports tried) and waits until <see cref="IsReadyAsync"/>.</summary>
    protected async Task StartAsync(string program, Func<int, IEnumerable<string>> arguments)
    {
        for (int attempt = 1; ; attempt++)
        {
            Port = ExternalTool.FreePort();
            _process = ExternalTool.Start(program, arguments(Port), out _output, Directory);
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < StartTimeout && !_process.HasExited)
            {
                if (await IsReadyAsync())
                {
                    return;
                }

                await Task.Delay(100);
            }

            string output = Output;
            ExternalTool.Stop(_process);
            _process = null;
            if (attempt >= 3 || !output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail($"{Path.GetFileName(program)} did not start on 127.0.0.1:{Port} within {StartTimeout.TotalSeconds} s:\n{output}");
            }
        }
    }

    protected virtual async Task<bool> IsReadyAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    protected async Task<bool> AnswersAsync(string path)
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            using HttpResponseMessage response = await http.GetAsync($"http://127.0.0.1:{Port}{path}");
            return response.IsSuccessStatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}

/// <summary>Python's aiosmtpd (Debian's python3-aiosmtpd), keeping every message it receives in a Maildir.</summary>
internal sealed class SmtpServer : LocalServer
{
    private SmtpServer()
        : base("smtp")
    {
    }

    public string Maildir => Path.Combine(Directory, "mail");

    public static async Task<SmtpServer> StartAsync()
    {
        string python = FindPythonWithAiosmtpd();
        var server = new SmtpServer();
        await server.StartAsync(python, port => ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", server.Maildir]);
        return server;
    }

    /// <summary>The messages received so far, read by MimeKit.</summary>
    public IReadOnlyList<MimeKit.MimeMessage> Messages()
    {
        string arrived = Path.Combine(Maildir, "new");
        return System.IO.Directory.Exists(arrived)
            ? System.IO.Directory.GetFiles(arrived).Order(StringComparer.Ordinal).Select(f => MimeKit.MimeMessage.Load(f)).ToArray()
            : [];
    }

    private static string FindPythonWithAiosmtpd()
    {
        var candidates = new List<string> { "/usr/bin/python3" };
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, "python3")));
        foreach (string python in candidates.Where(File.Exists).Distinct())
        {
            if (ExternalTool.Run(python, ["-c", "import aiosmtpd"], TimeSpan.FromSeconds(20)).ExitCode == 0)
            {
                return python;
            }
        }

        Assert.Fail("No python3 with the aiosmtpd module: install the Debian package 'python3-aiosmtpd' (./test.sh does).");
        return null!;
    }
}

/// <summary>A real Alertmanager (Debian's prometheus-alertmanager) with a configuration of the test's own.</summary>
internal sealed class AlertmanagerServer : LocalServer
{
    private AlertmanagerServer()
        : base("alertmanager")
    {
    }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public static async Task<AlertmanagerServer> StartAsync(string configuration)
    {
        string alertmanager = ExternalTool.Find("prometheus-alertmanager", "prometheus-alertmanager", "alertmanager");
        var server = new AlertmanagerServer();
        string config = Path.Combine(server.Directory, "alertmanager.yml");
        File.WriteAllText(config, configuration);
        await server.StartAsync(alertmanager, port =>
        [
            $"--config.file={config}", $"--storage.path={Path.Combine(server.Directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=", "--log.level=warn",
        ]);
        return server;
    }

    /// <summary>A configuration that sends every alert to <paramref name="webhook"/> (and by e-mail through a local SMTP server on <paramref name="smtpPort"/>) after one second of grouping.</summary>
    public static string RoutingTo(Uri webhook, int? smtpPort = null) => (smtpPort is { } port ? $"""
        global:
          smtp_smarthost: "127.0.0.1:{port}"
          smtp_from: "alertmanager@example.com"
          smtp_require_tls: false

        """ : string.Empty) + $"""
        route:
          receiver: test
          group_by: ["alertname", "model"]
          group_wait: 1s
          group_interval: 1s
          repeat_interval: 1h
        receivers:
          - name: test
            webhook_configs:
              - url: "{webhook}"
                send_resolved: true
        """ + (smtpPort is null ? string.Empty : """

                email_configs:
                  - to: "oncall@example.com"
                    send_resolved: false
            """);

    protected override Task<bool> IsReadyAsync() => AnswersAsync("/-/ready");
}

/// <summary>A real Prometheus (Debian's prometheus) scraping one target every second, with rule files, and an Alertmanager.</summary>
internal sealed class PrometheusServer : LocalServer
{
    private PrometheusServer()
        : base("prometheus")
    {
    }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public static async Task<PrometheusServer> StartAsync(Uri target, string rules, Uri? alertmanager)
    {
        string prometheus = ExternalTool.Find("prometheus", "prometheus");
        var server = new PrometheusServer();
        File.WriteAllText(Path.Combine(server.Directory, "rules.yml"), rules);
        string alerting = alertmanager is null ? string.Empty : $"""
            alerting:
              alertmanagers:
                - static_configs:
                    - targets: ["{alertmanager.Authority}"]
            """;
        File.WriteAllText(Path.Combine(server.Directory, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files: ["rules.yml"]
            {alerting}
            scrape_configs:
              - job_name: pricing
                static_configs:
                  - targets: ["{target.Authority}"]
            """);
        await server.StartAsync(prometheus, port =>
        [
            $"--config.file={Path.Combine(server.Directory, "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(server.Directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
        ]);
        return server;
    }

    protected override Task<bool> IsReadyAsync() => AnswersAsync("/-/ready");
}
