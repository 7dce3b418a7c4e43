using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;
using WeLink.Dashboard.Features.Accounts;
using WeLink.Dashboard.Features.Retention;
using WeLink.Webhooks;

namespace WeLink.Dashboard.IntegrationTests.Data.PostgreSqlWritePath;

/// <summary>
/// Every statement of the writer (Data/Sql), run on a migrated PostgreSQL database through the writer's own
/// session: each in a savepoint of its own, so one that PostgreSQL refuses is reported by name and the rest still run.
/// </summary>
public sealed class PostgreSqlStatementTests : IDisposable
{
    private readonly TestDirectory _dir = new();
    private readonly PostgresTestDatabase _database = new();

    public void Dispose()
    {
        _database.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void EveryWriterStatement_PostgreSql_RunsWithoutAnError()
    {
        using (DashboardApp.Start(_dir.Path, settings: _database.DashboardSettings()))
        {
        }
        using var session = WriteSession.Open(new DashboardDatabase(_database.ConnectionString, DatabaseProvider.PostgreSQL), TimeProvider.System);
        const long now = 1_764_633_600_000;
        var digest = new byte[32];
        digest[0] = 7;
        var failures = new List<string>();
        void Run(string name, Action<WriteSession> statement)
        {
            session.Savepoint();
            try
            {
                statement(session);
                session.Release();
            }
            catch (Exception ex)
            {
                session.RollbackToSavepoint();
                failures.Add($"{name}: {ex.Message}");
            }
        }

        session.Begin();
        long eventId = 0;
        Run("InsertEvent", s => eventId = s.InsertEvent(new NewEventRow(now, digest, EventTypes.LoginPinRequired, DerivationSource.Explicit, "acc-1",
            DerivationSource.Explicit, "PIN_REQUIRED", "req-1", null, "code\0please", SignatureOutcome.VerifiedNode, "{\"a\":\"\\u0000\"}"u8.ToArray()))!.Value);
        Run("InsertEvent again", s => Assert.Null(s.InsertEvent(new NewEventRow(now, digest, "X", DerivationSource.Explicit, null, DerivationSource.Unknown,
            null, null, null, null, SignatureOutcome.VerifiedNode, [1]))));
        Run("CountRedelivery", s => Assert.Equal(2, s.CountRedelivery(digest, now, SignatureOutcome.VerifiedNode).DeliveryCount));
        Run("FindEventByDigest", s => Assert.NotNull(s.FindEventByDigest(digest)));
        Run("UnauthenticatedEventsOf", s => s.UnauthenticatedEventsOf("req-1"));
        Run("MarkConflictingEvents", s => s.MarkConflictingEvents("req-1", "acc-2"));
        Run("SetCorrelatedAccount", s => s.SetCorrelatedAccount(eventId, "acc-1"));
        Run("ForgetSearchDeletions", s => Assert.Equal(0, s.ForgetSearchDeletions("[1]")));
        Run("AddEventCounts", s =>
        {
            s.AddEventCounts(now, "acc-1", EventTypes.LoginPinRequired, "STATUS_429", 1);
            s.AddEventCounts(now, "", EventTypes.LoginPinRequired, null, 2);
            s.FlushPending();
        });
        Run("DeleteEmptyEventCounts", s => s.DeleteEmptyEventCounts(now, "acc-1"));
        Run("AddRejections", s => s.AddRejections(now, "bad-signature", 2));
        Run("RecordAccountEvent", s =>
        {
            s.RecordAccountEvent("acc-1", now, eventId, EventTypes.LoginPinRequired, null);
            s.RecordAccountEvent("acc-1", now, eventId, EventTypes.LoginPinRequired, "STATUS_429");
            s.FlushPending();
        });
        Run("InsertStateChange", s => s.InsertStateChange("acc-1", LoginState.PinRequired, null, now, eventId, StateChangeSource.Event));
        Run("UpdateAccountProfile", s => s.UpdateAccountProfile("acc-1", "a@example.com", "ACo1", "A"));
        Run("ReadAccountState/WriteAccountState", s =>
        {
            var state = s.ReadAccountState("acc-1")!;
            s.WriteAccountState("acc-1", state with { Login = LoginState.Connected, LoginSince = now });
            s.WriteAccountState("acc-1", state with { Login = LoginState.Connected, LoginSince = now, LastActionAt = now });
            s.FlushPending();
        });
        Run("DeleteFoldedStateChanges", s => s.DeleteFoldedStateChanges());
        Run("SetSessionCheckedAt", s => s.SetSessionCheckedAt("acc-1", now));
        Run("RequestStartedAt", s => s.RequestStartedAt("req-1"));
        Run("AccountFacts", s => s.AccountFacts("acc-1"));
        Run("DecrementEventCount", s => s.DecrementEventCount("acc-1"));
        Run("AddMovedEvent", s => s.AddMovedEvent("acc-2", now, eventId, EventTypes.LoginPinRequired, null));
        Run("UpsertWeLinkAccount", s => s.UpsertWeLinkAccount("acc-3", "c@example.com", now));
        Run("FindAccountByEmail", s => Assert.Equal("acc-3", s.FindAccountByEmail("c@example.com")));
        Run("FindAccountByProfileId", s => Assert.Equal("acc-1", s.FindAccountByProfileId("ACo1")));
        Run("UpsertPendingPinRequest", s =>
        {
            s.UpsertPendingPinRequest("req-1", null, eventId, now, now + 60_000, "m", authenticated: false);
            s.UpsertPendingPinRequest("req-1", "acc-1", eventId, now, now + 60_000, "m", authenticated: true);
        });
        Run("FindPinRequest", s => Assert.Equal(PinRequestStatus.Pending, s.FindPinRequest("req-1")!.Status));
        Run("PinRequestStatusOf", s => s.PinRequestStatusOf("req-1"));
        Run("TakeOpenPinRequest", s => s.TakeOpenPinRequest("req-1", "acc-1"));
        Run("ReleasePendingPin", s => s.ReleasePendingPin("req-1", "acc-2"));
        Run("MarkPinSubmitted", s => Assert.Equal("acc-1", s.MarkPinSubmitted("req-1", null, "admin", now)));
        Run("ReopenPinRequest", s => s.ReopenPinRequest("req-1"));
        Run("InsertPinSubmission", s => s.InsertPinSubmission("req-1", "acc-1", "admin", now, PinSubmissionOutcome.Sent, null));
        Run("SetSentSubmissionOutcome", s => s.SetSentSubmissionOutcome("req-1", PinSubmissionOutcome.Succeeded));
        Run("ReassignPinRequest", s => s.ReassignPinRequest("req-1", "acc-2"));
        Run("ResolvePinRequest", s => s.ResolvePinRequest("req-1", PinRequestStatus.Succeeded, now, null, "acc-1"));
        Run("ExpirePinRequests", s => s.ExpirePinRequests(now + 120_000));
        Run("OperatorNameTaken", s => Assert.True(s.OperatorNameTaken("ADMIN")));
        Run("AnyOperator", s => Assert.True(s.AnyOperator()));
        Run("InsertOperator", s => s.InsertOperator("second", "Admin", "hash", "stamp", now));
        Run("operators", s =>
        {
            var id = _database.Scalar<long>("""SELECT MIN("Id") FROM "Operators" """);
            Assert.True(s.IsEnabledOperator(id));
            Assert.NotNull(s.FindOperator(id));
            Assert.Equal(1, s.CountOtherEnabled("Admin", id));
            s.SetOperatorRole(id, "Admin", "s2");
            s.SetOperatorDisabled(id, false, "s3");
            s.SetOperatorPassword(id, "hash2", "s4");
            s.UnlockOperator(id);
            s.StampSignIn(id, null, now);
            s.InsertSignIn("sign-in-1", id, now, now + 1000);
            s.DeleteExpiredSignIns(now);
            Assert.True(s.DeleteSignIn("sign-in-1"));
        });
        Run("DeleteOperator", s => s.DeleteOperator(-1));
        Run("requests", s =>
        {
            s.UpsertUnattributedRequest("req-2", "login", now);
            s.UpsertDashboardRequest("req-2", "acc-1", "login", now);
            Assert.Equal(now, s.UpsertObservedRequest("req-2", "acc-1", "login", now + 1, authenticated: true));
            s.UpsertRegisteredRequest("req-2", "acc-1", "login", now);
            Assert.NotNull(s.FindRequest("req-2"));
            s.EventsOfRequest("req-1");
            s.SetEventDerivation(eventId, EventTypes.LoginPinRequired, DerivationSource.Explicit, "PIN_REQUIRED", "acc-1", DerivationSource.Explicit);
            s.LoginStateChangedAt("acc-1");
            Assert.True(s.StartTracking("req-2", "tests", now, now + 1000));
            s.AdvanceTrackedRequest("req-2", EventTypes.LoginPinRequired, eventId, now);
            s.MarkRequestPinSubmitted("req-2", now);
            s.AgeTrackedRequests(now + 10_000_000, 1000, now + 5_000_000);
            s.DueForPoll(now + 10_000_000, 10);
            s.RecordPoll("req-2", missing: true, now, attempts => now + attempts);
            s.CountPollAttempt("req-2");
            s.AdvanceTrackedRequest("req-2", EventTypes.LoginSuccess, eventId, now);
        });
        Run("alerts", s =>
        {
            var id = s.OpenAlert("RequestLost", "acc-1", null, now, 1, closed: false);
            Assert.NotNull(s.FindOpenAlert("RequestLost", "acc-1"));
            Assert.Null(s.FindOpenAlert("RequestLost", null));
            s.FindOpenAlertBySubject("RequestLost", "x");
            s.OpenRequestLostAlertFor("req-2");
            s.RequestAccount("req-2");
            s.HasLostRequestSince("acc-1", now);
            s.HasLostRequestSince(null, now);
            s.OpenAlerts("RequestLost");
            s.LastRaisedAt("RequestLost", null);
            s.SetAlertSubject(id, "s");
            s.MarkReminded(id, now);
            s.InsertAlertMessage(id, AlertMessageKind.Firing, "RequestLost", "acc-1", null, 1, now);
            var message = Assert.Single(s.UndispatchedAlertMessages(10));
            s.InsertAlertDelivery(message.Id, "email", "acc-1", now);
            s.MarkAlertMessageDispatched(message.Id, now);
            var delivery = _database.Scalar<long>("""SELECT COALESCE(MAX("Id"), 0) FROM "AlertDeliveries" """);
            s.MarkAlertAttemptFailed(delivery, now, 500, "down", now + 1000);
            s.MarkAlertDelivered(delivery, now, 200);
            s.AbandonAlertDeliveries("webhook", now);
            s.HasWaitingPin("acc-1", null, now);
            s.HasWaitingPin(null, "req-1", now);
            s.PinStatusText("req-1");
            Assert.Equal(3, s.AddAlertRejections(now / 60_000, 3, now / 60_000));
            s.CloseAlert(id, now);
        });
        Run("gateway", s =>
        {
            var id = s.InsertGatewayCall(new GatewayCallStart(now, "tests", "login", null, "p@example.com"));
            s.CompleteGatewayCall(id, 200, "req-3", 12, GatewayBudget.Actions);
            s.BudgetUseOf("acc-1", GatewayBudget.Actions, now - 1);
            Assert.Equal(["p@example.com"], s.PendingEmails());
            Assert.Equal("p@example.com", s.PendingEmailOf("req-3"));
            Assert.Equal(["req-3"], s.ResolvePendingEmail("p@example.com", "acc-1"));
        });
        Run("retention", s =>
        {
            foreach (var table in Enum.GetValues<ExpiringTable>()) s.DeleteExpiredRows(table, now + 100_000_000, 2);
            Assert.Equal(1, s.DeleteOldestEvents(now + 1, 10));
            Assert.Equal((0L, 0L), s.ReclaimFreePages(10));
        });
        session.Rollback();

        Assert.Empty(failures);
    }
}
