using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using ModelMonitoring.Alerts;

namespace ModelMonitoring.Tests;

/// <summary>
/// The in-process alert rules on a fake clock: states (pending, firing, resolved), evaluation at window close and on
/// the timer, grouping per model, digests, silences, the repeat interval, templates, validation, and delivery that a
/// stuck notifier cannot hold up.
/// </summary>
public sealed class AlertEngineTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_failing_window_is_pending_for_the_rules_for_duration_then_fires_at_once_as_critical_and_resolves()
    {
        var clock = new FakeTimeProvider(Start);
        using var test = new TestRuntime(Options(), clock);
        var model = new TestModel("alerts-error-rate");
        var notifier = new CollectingNotifier();
        using var engine = new AlertEngine(test.Runtime, new AlertingOptions { EvaluationInterval = TimeSpan.FromSeconds(30) }, notifiers: [notifier]);

        Window(model, successes: 100, failures: 20);
        test.Runtime.Flush(); // the window closes: evaluated on the evaluator thread, at once

        Alert pending = Assert.Single(engine.GetAlerts());
        Assert.Equal(DefaultAlertRulesOptions.ErrorRateRule, pending.Name);
        Assert.Equal(AlertState.Pending, pending.State);
        Assert.Equal(20.0 / 120, pending.Value, 12);
        Assert.Equal(Start, pending.ActiveAt);

        clock.Advance(TimeSpan.FromMinutes(4.5)); // the timer evaluates every 30 s: still inside "for 5m"
        Assert.Equal(AlertState.Pending, Assert.Single(engine.GetAlerts()).State);
        Assert.True(await engine.FlushAsync(Patience));
        Assert.Empty(notifier.Received);

        clock.Advance(TimeSpan.FromSeconds(30));
        Alert firing = Assert.Single(engine.GetAlerts());
        Assert.Equal(AlertState.Firing, firing.State);
        Assert.Equal(Start.AddMinutes(5), firing.FiredAt);
        Assert.True(await engine.FlushAsync(Patience));
        AlertNotification sent = Assert.Single(notifier.Received); // critical: at once, no digest
        Assert.Equal(AlertNotificationKind.Immediate, sent.Kind);
        Assert.Equal("[FIRING:1] alerts-error-rate: ModelErrorRateHigh (critical)", sent.Title);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["alertname"] = "ModelErrorRateHigh", ["model"] = "alerts-error-rate", ["model_version"] = "1.0",
                ["owner"] = "owner", ["severity"] = "critical", ["squad"] = "squad",
            },
            sent.Alerts[0].Labels);
        Assert.Equal("Model alerts-error-rate failed on 0.1667 of its calls in the last window (threshold 0.05).", sent.Alerts[0].Annotations["description"]);

        Window(model, successes: 100, failures: 0);
        test.Runtime.Flush();
        Assert.Empty(engine.GetAlerts());
        Assert.True(await engine.FlushAsync(Patience));
        Assert.Equal(2, notifier.Received.Count);
        Alert resolved = Assert.Single(notifier.Received[1].Alerts);
        Assert.Equal(AlertState.Resolved, resolved.State);
        Assert.Equal(firing.Fingerprint, resolved.Fingerprint);
        Assert.Equal("[RESOLVED] alerts-error-rate: ModelErrorRateHigh (critical)", notifier.Received[1].Title);
    }

    [Fact]
    public async Task Warnings_of_one_model_wait_for_one_deduplicated_digest_while_drift_fires_at_the_window_close()
    {
        var clock = new FakeTimeProvider(Start);
        var quality = new WindowQualitySignals(outlierAbove: 1_000);
        using var test = new TestRuntime(Options(), clock, null, quality);
        var model = new TestModel("alerts-digest");
        var notifier = new CollectingNotifier();
        AlertRule missing = AlertRule.Named("AreaMissing").When(ModelSignalNames.MissingRatio).ForFeature("area").Above(0.2)
            .Annotation("summary", "{model}/{feature}: {value} missing (over {threshold})").Build();
        using var engine = new AlertEngine(test.Runtime, new AlertingOptions { DigestInterval = TimeSpan.FromMinutes(10) }, [missing], [notifier]);

        var random = new Random(3);
        for (int i = 0; i < 100; i++)
        {
            model.Record(random.NextDouble() * 100, i % 2 == 0 ? "north" : "south", 1); // the reference
        }

        test.Runtime.Flush();
        Assert.Empty(engine.GetAlerts());

        clock.Advance(TimeSpan.FromMinutes(1));
        for (int i = 0; i < 100; i++)
        {
            double area = i < 30 ? double.NaN : i < 60 ? 5_000 + i : 300 + (random.NextDouble() * 100); // shifted, outliers, missing
            model.Record(area, "east", 1);
        }

        test.Runtime.Flush();
        Alert[] alerts = [.. engine.GetAlerts()];
        Assert.Equal(["AreaMissing", DefaultAlertRulesOptions.DatasetDriftRule, DefaultAlertRulesOptions.OutlierRatioRule], alerts.Select(a => a.Name).Order(StringComparer.Ordinal));
        Assert.All(alerts, a => Assert.Equal(AlertState.Firing, a.State)); // "for" zero: fired at the window close, no timer needed
        Assert.Equal("alerts-digest/area: 0.3 missing (over 0.2)", alerts.Single(a => a.Name == "AreaMissing").Summary);
        Assert.Equal("area", alerts.Single(a => a.Name == "AreaMissing").Feature);
        Assert.Equal(0.3, alerts.Single(a => a.Name == DefaultAlertRulesOptions.OutlierRatioRule).Value, 12);

        clock.Advance(TimeSpan.FromMinutes(9)); // evaluated every 30 s meanwhile: nothing new, nothing sent twice
        Assert.True(await engine.FlushAsync(Patience));
        Assert.Empty(notifier.Received);

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await engine.FlushAsync(Patience));
        AlertNotification digest = Assert.Single(notifier.Received);
        Assert.Equal(AlertNotificationKind.Digest, digest.Kind);
        Assert.Equal("alerts-digest", digest.Model);
        Assert.Equal(3, digest.Alerts.Count);
        Assert.Equal(3, digest.Alerts.Select(a => a.Fingerprint).Distinct().Count());
        Assert.Equal(AlertSeverity.Warning, digest.Severity);

        clock.Advance(TimeSpan.FromMinutes(30));
        Assert.True(await engine.FlushAsync(Patience));
        Assert.Single(notifier.Received); // deduplicated: nothing again before the repeat interval (4 h)
    }

    [Fact]
    public async Task A_silence_mutes_matching_alerts_until_it_ends_and_a_firing_alert_is_sent_again_after_the_repeat_interval()
    {
        var clock = new FakeTimeProvider(Start);
        var quality = new WindowQualitySignals(outlierAbove: 1_000);
        using var test = new TestRuntime(Options(), clock, null, quality);
        var model = new TestModel("alerts-silence");
        var notifier = new CollectingNotifier();
        var options = new AlertingOptions
        {
            EvaluationInterval = TimeSpan.FromMinutes(1),
            DigestInterval = TimeSpan.Zero,
            RepeatInterval = TimeSpan.FromHours(1),
            Silences = { new AlertSilenceOptions { Matchers = ["model=alerts-silence", "severity=~\"warning|info\""], EndsAt = Start.AddMinutes(30), Comment = "deploying" } },
        };
        using var engine = new AlertEngine(test.Runtime, options, notifiers: [notifier]);
        engine.AddSilence(AlertSilence.Until(Start, Start.AddDays(1), "model=another-model")); // matches nothing here

        Window(model, successes: 100, failures: 0, area: i => i < 40 ? 5_000 : 10);
        test.Runtime.Flush();
        Alert outliers = Assert.Single(engine.GetAlerts());
        Assert.Equal(AlertState.Firing, outliers.State);
        Assert.True(outliers.IsSilenced);
        Assert.Equal(2, engine.Silences.Count);

        clock.Advance(TimeSpan.FromMinutes(29));
        Assert.True(await engine.FlushAsync(Patience));
        Assert.Empty(notifier.Received); // silenced: still firing, nobody told

        clock.Advance(TimeSpan.FromMinutes(1)); // 09:30: the silence ends; the next evaluation tells
        Assert.True(await engine.FlushAsync(Patience));
        AlertNotification first = Assert.Single(notifier.Received);
        Assert.Equal(Start.AddMinutes(30), first.CreatedAt);
        Assert.False(Assert.Single(engine.GetAlerts()).IsSilenced);
        Assert.Single(engine.Silences); // the expired one is gone, the other stays

        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.True(await engine.FlushAsync(Patience));
        Assert.Single(notifier.Received); // within the repeat interval: not again

        clock.Advance(TimeSpan.FromMinutes(1)); // 10:30: an hour after it was sent
        Assert.True(await engine.FlushAsync(Patience));
        Assert.Equal(2, notifier.Received.Count);
        Assert.Equal(Start.AddMinutes(90), notifier.Received[1].CreatedAt);
        Assert.Equal(outliers.Fingerprint, Assert.Single(notifier.Received[1].Alerts).Fingerprint);

        // A silence added while it fires mutes the repeats; removing it lets the next repeat through.
        AlertSilence mute = AlertSilence.Until(clock.GetUtcNow(), clock.GetUtcNow().AddHours(3), "alertname=ModelOutlierRatioHigh");
        engine.AddSilence(mute);
        clock.Advance(TimeSpan.FromHours(2));
        Assert.True(await engine.FlushAsync(Patience));
        Assert.Equal(2, notifier.Received.Count);
        Assert.True(engine.RemoveSilence(mute.Id));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await engine.FlushAsync(Patience));
        Assert.Equal(3, notifier.Received.Count);
    }

    [Fact]
    public async Task Performance_and_concept_drift_rules_read_the_metric_of_a_signal_source()
    {
        var clock = new FakeTimeProvider(Start);
        var quality = new WindowQualitySignals(outlierAbove: 1_000);
        using var test = new TestRuntime(Options(), clock, null, quality);
        var model = new TestModel("alerts-performance");
        var notifier = new CollectingNotifier();
        var options = new AlertingOptions
        {
            DigestInterval = TimeSpan.Zero,
            Defaults = { Enabled = false },
            Rules =
            {
                new AlertRuleOptions { Name = "AccuracyLow", Signal = "performance", Metric = "accuracy", Comparison = "<", Threshold = 0.8, Severity = "critical", Labels = { ["team"] = "pricing" }, Annotations = { ["summary"] = "{model} {metric} {value} < {threshold}" } },
                new AlertRuleOptions { Name = "ConceptDrift", Signal = "concept_drift_detections", Comparison = ">", Threshold = 0 },
            },
        };
        using var engine = new AlertEngine(test.Runtime, options, notifiers: [notifier]);
        Window(model, successes: 100, failures: 0);
        quality.ReportAccuracy(model.Name, 0.91);
        engine.Evaluate();
        Assert.Empty(engine.GetAlerts());

        quality.ReportAccuracy(model.Name, 0.72);
        quality.ReportConceptDrift(model.Name);
        engine.Evaluate();
        Alert[] alerts = [.. engine.GetAlerts()];
        Alert accuracy = alerts.Single(a => a.Name == "AccuracyLow");
        Assert.Equal("accuracy", accuracy.Labels["metric"]);
        Assert.Equal("pricing", accuracy.Labels["team"]);
        Assert.Equal("alerts-performance accuracy 0.72 < 0.8", accuracy.Summary);
        Assert.Equal("ddm", alerts.Single(a => a.Name == "ConceptDrift").Labels["metric"]);
        Assert.True(await engine.FlushAsync(Patience));
        AlertNotification grouped = Assert.Single(notifier.Received); // one model, one evaluation: one notification (no digest)
        Assert.Equal(["AccuracyLow", "ConceptDrift"], grouped.Alerts.Select(a => a.Name)); // the critical one first
        Assert.Equal(AlertSeverity.Critical, grouped.Severity);
    }

    [Fact]
    public void Default_rules_cover_drift_errors_outliers_and_latency_and_each_can_be_switched_off()
    {
        Assert.Equal(
            [DefaultAlertRulesOptions.DatasetDriftRule, DefaultAlertRulesOptions.ErrorRateRule, DefaultAlertRulesOptions.OutlierRatioRule, DefaultAlertRulesOptions.LatencyRule],
            new AlertingOptions().DefaultRules().Select(r => r.Name));
        AlertRule latency = new AlertingOptions { Defaults = { Latency = { Threshold = 0.25 } } }.DefaultRules().Single(r => r.Signal == ModelSignalNames.LatencyP95);
        Assert.Equal(0.25, latency.Threshold);
        Assert.Equal("ModelLatencyOverBudget: latency_p95 > 0.25 for 00:05:00 (warning)", latency.ToString());
        Assert.Equal(3, new AlertingOptions { Defaults = { OutlierRatio = { Enabled = false } } }.DefaultRules().Count);
        Assert.Empty(new AlertingOptions { Defaults = { Enabled = false } }.DefaultRules());
        Assert.Empty(new AlertingOptions { Enabled = false }.DefaultRules());
    }

    [Fact]
    public void Invalid_rules_and_silences_are_errors_that_name_the_rule_and_the_field()
    {
        var options = new AlertingOptions
        {
            Rules =
            {
                new AlertRuleOptions { Name = "Typo", Signal = "eror_rate", Threshold = 0.1 },
                new AlertRuleOptions { Name = "NoThreshold", Signal = "error_rate" },
                new AlertRuleOptions { Name = "BadComparison", Signal = "error_rate", Comparison = "=>", Threshold = 1 },
                new AlertRuleOptions { Name = "Reserved", Signal = "error_rate", Threshold = 1, Labels = { ["severity"] = "page" } },
                new AlertRuleOptions { Name = "Template", Signal = "error_rate", Threshold = 1, Annotations = { ["summary"] = "{model} at {valeu" } },
                new AlertRuleOptions { Name = "Placeholder", Signal = "error_rate", Threshold = 1, Annotations = { ["summary"] = "{modle}" } },
                new AlertRuleOptions { Name = "FeatureOnModelSignal", Signal = "error_rate", Feature = "area", Threshold = 1 },
                new AlertRuleOptions { Name = "ModelErrorRateHigh", Signal = "error_rate", Threshold = 1, Severity = "urgent" },
            },
            Silences = { new AlertSilenceOptions { Matchers = ["model~pricing"] } },
        };

        string[] errors = [.. options.Validate()];
        string[] expected =
        [
            "ModelMonitoring:Alerts:Rules:0 (Typo): Signal 'eror_rate' is not known",
            "ModelMonitoring:Alerts:Rules:1 (NoThreshold): Threshold is required",
            "ModelMonitoring:Alerts:Rules:2 (BadComparison): Comparison '=>' is not one of '>', '>=', '<', '<='",
            "ModelMonitoring:Alerts:Rules:3 (Reserved): Labels:severity: 'severity' is set by the runtime",
            "ModelMonitoring:Alerts:Rules:4 (Template): Annotations:summary: the '{' at position 12 is not closed",
            "ModelMonitoring:Alerts:Rules:5 (Placeholder): Annotations:summary: '{modle}' is not a placeholder",
            "ModelMonitoring:Alerts:Rules:6 (FeatureOnModelSignal): Feature is set but signal 'error_rate' is not per feature",
            "ModelMonitoring:Alerts:Rules:7 (ModelErrorRateHigh): Severity 'urgent' is not one of info, warning, critical",
            "ModelMonitoring:Alerts:Rules:7 (ModelErrorRateHigh): Name 'ModelErrorRateHigh' is used twice (also by ModelMonitoring:Alerts:Defaults)",
            "ModelMonitoring:Alerts:Silences:0:Matchers:0: 'model~pricing' is not a matcher",
            "ModelMonitoring:Alerts:Silences:0:EndsAt is required",
        ];
        foreach (string error in expected)
        {
            Assert.True(errors.Any(e => e.StartsWith(error, StringComparison.Ordinal)), error + "\n  not in:\n" + string.Join("\n", errors));
        }

        Assert.True(expected.Length == errors.Length, string.Join("\n", errors));
        using var runtime = new ModelMonitoringRuntime();
        ArgumentException thrown = Assert.Throws<ArgumentException>(() => new AlertEngine(runtime, options));
        Assert.Contains("Rules:0 (Typo)", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("Silences:0:EndsAt", thrown.Message, StringComparison.Ordinal);

        ArgumentException fluent = Assert.Throws<ArgumentException>(() => AlertRule.Named("Latency").When(ModelSignalNames.LatencyP95).For(TimeSpan.FromMinutes(-1)).Build());
        Assert.Equal("Alert rule 'Latency': Threshold is required (with a comparison: Above, AtOrAbove, Below, AtOrBelow); For must not be negative (was -00:01:00).", fluent.Message);
        Assert.Throws<ArgumentException>(() => new AlertEngine(runtime, rules: [AlertRule.Named("ModelDatasetDrift").When("dataset_drift").Above(0).Build()]));
        Assert.Equal("my_signal", new AlertingOptions { AdditionalSignals = ["my_signal"], Rules = { new AlertRuleOptions { Name = "Mine", Signal = "my_signal", Threshold = 1 } } }.ConfiguredRules()[0].Signal);
    }

    [Fact]
    public async Task A_notifier_that_never_answers_holds_up_no_prediction_and_no_evaluation_and_what_its_full_queue_refuses_is_counted()
    {
        var clock = new FakeTimeProvider(Start);
        var quality = new WindowQualitySignals(outlierAbove: 1_000);
        using var test = new TestRuntime(Options(), clock, null, quality);
        var model = new TestModel("alerts-stuck");
        using var neverAnswers = new SemaphoreSlim(0);
        var stuck = new CollectingNotifier("stuck-" + Guid.NewGuid().ToString("N")[..6], neverAnswers);
        var healthy = new CollectingNotifier("healthy");
        using var dropped = new MetricCollector<long>(null, AlertEngine.MeterName, AlertEngine.NotificationsInstrument);
        var options = new AlertingOptions { DigestInterval = TimeSpan.Zero, RepeatInterval = TimeSpan.FromMinutes(1), EvaluationInterval = TimeSpan.FromMinutes(1), QueueCapacity = 2, DeliveryTimeout = TimeSpan.FromDays(1) };
        using var engine = new AlertEngine(test.Runtime, options, notifiers: [stuck, healthy]);

        Window(model, successes: 100, failures: 0, area: i => i < 50 ? 5_000 : 10);
        test.Runtime.Flush();
        for (int minute = 0; minute < 10; minute++)
        {
            clock.Advance(TimeSpan.FromMinutes(1)); // a repeat every minute: 11 notifications in all
            await UntilDelivered(engine, healthy.Name); // the healthy notifier keeps up (its queue holds 2 too)
            for (int i = 0; i < 9; i++)
            {
                model.Record(10, "north", 1); // predictions go on (the window stays open: the signal is the last closed one's)
            }
        }

        Assert.Equal(AlertState.Firing, Assert.Single(engine.GetAlerts()).State);
        Assert.Equal(190, test.Monitor(model).GetPredictionCounts().Successes); // every prediction recorded
        Assert.True(await engine.FlushAsync(TimeSpan.FromMilliseconds(50)) is false);
        AlertDeliveryCounts counts = engine.GetDeliveryCounts().Single(c => c.Notifier == stuck.Name);
        Assert.Equal(0, counts.Sent);
        Assert.Equal(3, counts.Pending); // one in flight, two queued
        Assert.Equal(8, counts.Dropped);
        Assert.Equal(11, engine.GetDeliveryCounts().Single(c => c.Notifier == "healthy").Sent); // the other notifier is not held up
        Assert.Equal(8, dropped.GetMeasurementSnapshot().Where(m => m.Tags["notifier"] as string == stuck.Name && m.Tags["result"] as string == "dropped").Sum(m => m.Value));
        Assert.Equal(11, dropped.GetMeasurementSnapshot().Where(m => m.Tags["notifier"] as string == "healthy" && m.Tags["result"] as string == "sent").Sum(m => m.Value));
        Assert.Equal(8 + 0, engine.Status.Dropped);

        neverAnswers.Release(3);
        Assert.True(await engine.FlushAsync(Patience));
        Assert.Equal(3, stuck.Received.Count);
    }

    [Fact]
    public async Task A_notifier_that_groups_by_itself_gets_every_firing_alert_again_each_resend_interval_unsilenced_and_each_resolution()
    {
        var clock = new FakeTimeProvider(Start);
        var quality = new WindowQualitySignals(outlierAbove: 1_000);
        using var test = new TestRuntime(Options(), clock, null, quality);
        var model = new TestModel("alerts-state");
        var manager = new CollectingNotifier("manager", takesEveryAlert: true);
        var people = new CollectingNotifier("people");
        var options = new AlertingOptions
        {
            EvaluationInterval = TimeSpan.FromSeconds(15),
            ResendInterval = TimeSpan.FromMinutes(1),
            Defaults = { DatasetDrift = { Enabled = false } }, // the calm second window drifts from the first: not this test's point
            Silences = { new AlertSilenceOptions { Matchers = ["model=alerts-state"], EndsAt = Start.AddDays(1) } },
        };
        using var engine = new AlertEngine(test.Runtime, options, notifiers: [manager, people]);

        Window(model, successes: 100, failures: 0, area: i => i < 50 ? 5_000 : 10);
        test.Runtime.Flush();
        for (int step = 0; step < 8; step++)
        {
            clock.Advance(TimeSpan.FromSeconds(15)); // 8 evaluations; resent at 1 and 2 minutes
        }

        Window(model, successes: 100, failures: 0);
        test.Runtime.Flush();
        Assert.True(await engine.FlushAsync(Patience));

        Assert.Empty(people.Received); // silenced for people
        Assert.True(4 == manager.Received.Count, string.Join(", ", manager.Received.Select(n => $"{n.CreatedAt:HH:mm:ss} {n.Alerts.Count} {n.Alerts[0].State}"))); // the firing, two resends, the resolution
        Assert.All(manager.Received, n => Assert.Equal(AlertNotificationKind.State, n.Kind));
        Assert.Equal([Start, Start.AddMinutes(1), Start.AddMinutes(2)], manager.Received.Take(3).Select(n => n.CreatedAt));
        Assert.Equal(AlertState.Resolved, Assert.Single(manager.Received[3].Alerts).State);
    }

    private static async Task UntilDelivered(AlertEngine engine, string notifier)
    {
        for (int wait = 0; wait < 3_000 && engine.GetDeliveryCounts().Single(c => c.Notifier == notifier).Pending > 0; wait++)
        {
            await Task.Delay(10);
        }
    }

    private static ModelMonitoringOptions Options() => new() { WindowSize = 100, WindowDuration = TimeSpan.FromDays(1) };

    /// <summary>Records one window: the successes close it (at exactly WindowSize rows); failures go in first.</summary>
    private static void Window(TestModel model, int successes, int failures, Func<int, double>? area = null)
    {
        for (int i = 0; i < failures; i++)
        {
            model.RecordFailure(new InvalidOperationException("model failed"));
        }

        var random = new Random(successes + failures);
        for (int i = 0; i < successes; i++)
        {
            model.Record(area?.Invoke(i) ?? random.NextDouble() * 100, i % 2 == 0 ? "north" : "south", 1);
        }
    }
}
