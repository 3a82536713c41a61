import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import Runtime
import SluiceAPI
import TestSupport
import WorkerTestSupport

/// The web console under `/ui/`: embedded files equal to `console/`, served with strict headers, and the page itself
/// driven in headless Chromium against a real worker (overview, connector page, actions, validate, create, edit).
@Suite(.serialized) struct ConsoleTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func embeddedAssetsMatchConsoleFiles() throws {
        #expect(ConsoleAssets.files.count == 3)
        for f in ConsoleAssets.files {
            let onDisk = try Data(contentsOf: Self.repo.appendingPathComponent("console").appendingPathComponent(f.path))
            // Drift means someone edited console/ without running scripts/embed-console.sh (or edited the Swift file).
            #expect(Array(onDisk) == Array(f.body.utf8), "console/\(f.path) differs from ConsoleAssets: run scripts/embed-console.sh")
        }
        let total = ConsoleAssets.files.reduce(0) { $0 + $1.body.utf8.count }
        print("console page weight: \(total) bytes (\(ConsoleAssets.files.map { "\($0.path) \($0.body.utf8.count)" }.joined(separator: ", ")))")
        #expect(total < 64 * 1024, "the console is meant to stay small")
    }

    @Test func servedWithStrictHeaders() async throws {
        let w = try await TestWorker()
        defer { Task { await w.shutdown() } }
        let index = try await w.get("/ui/")
        #expect(index.status == 200)
        #expect(index.headers["content-type"] == "text/html; charset=utf-8")
        #expect(index.raw == ConsoleAssets.indexHTML)
        let csp = index.headers["content-security-policy"] ?? ""
        #expect(csp.contains("default-src 'none'") && csp.contains("script-src 'self'") && !csp.contains("unsafe"))
        #expect(index.headers["cache-control"] == "no-cache")
        #expect(index.headers["x-content-type-options"] == "nosniff")
        let js = try await w.get("/ui/app.js")
        #expect(js.headers["content-type"] == "text/javascript; charset=utf-8")
        #expect(js.raw == ConsoleAssets.appJS)
        #expect(try await w.get("/ui/app.css").headers["content-type"] == "text/css; charset=utf-8")
        // `/ui` redirects to `/ui/` (the page's relative URLs need the slash). Not followed here: Linux URLSession loops on it.
        let session = URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)
        let (_, redirect) = try await session.data(from: try #require(URL(string: w.base + "/ui")))
        #expect((redirect as? HTTPURLResponse)?.statusCode == 301)
        #expect((redirect as? HTTPURLResponse)?.value(forHTTPHeaderField: "Location") == "/ui/")
        let missing = try await w.get("/ui/nope.js")
        #expect(missing.status == 404)
        #expect(missing.body?["error_code"]?.int64Value == 404)
        // The root is still Kafka's JSON.
        #expect(try await w.get("/").body?["version"]?.stringValue != nil)
        await w.shutdown()
    }

    @Test func consoleInChromiumDrivesARealWorker() async throws {
        guard HeadlessChromium.binary() != nil else {
            Issue.record("chromium is not installed: run scripts/install-deps.sh")
            return
        }
        let w = try await TestWorker()
        defer { Task { await w.shutdown() } }
        let input = w.dir.file("in.txt"), output = w.dir.file("out.txt")
        FileManager.default.createFile(atPath: input, contents: Data("first\n".utf8))
        try #require(try await w.create("src", ["connector.class": "FileStreamSource", "file": input, "topic": "lines",
                                                "tasks.max": "1", "db.password": "s3cret-value"]).status == 201)
        try await w.waitForActiveTopic("src", "lines")
        try #require(try await w.create("sink", ["connector.class": "FileStreamSink", "file": output, "topics": "lines"]).status == 201)
        // A sink whose file cannot be opened: its task fails and the page shows the trace.
        try #require(try await w.create("broken", ["connector.class": "FileStreamSink", "file": "/nonexistent-dir/x/out.txt", "topics": "lines"]).status == 201)
        try await w.waitForState("src", "RUNNING")
        try await w.waitForState("sink", "RUNNING")
        // Records keep flowing so the page has rates to compute.
        let feeder = Task {
            var n = 0
            let h = try FileHandle(forWritingTo: URL(fileURLWithPath: input))
            h.seekToEndOfFile()
            while !Task.isCancelled {
                h.write(Data((0..<100).map { _ in n += 1; return "line \(n)\n" }.joined().utf8))
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        defer { feeder.cancel() }

        let profile = try TemporaryDirectory(prefix: "sluice-chromium")
        let chrome = try HeadlessChromium(userDataDir: profile.path)
        defer { chrome.quit() }
        let shots = Self.repo.appendingPathComponent(".build/console-screenshots").path
        try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)

        // Overview: `/ui` redirects to `/ui/`, every connector with its state, tasks, worker and rates.
        try await chrome.open(w.base + "/ui")
        try await chrome.waitFor("document.body.dataset.view === 'overview' && document.querySelector('#connectors')")
        #expect(try await chrome.eval("location.pathname").stringValue == "/ui/")
        let firstRender = try await chrome.eval("sluiceConsole.firstRender()").doubleValue ?? -1
        print("console time to first render: \(Int(firstRender)) ms after navigation start")
        #expect(firstRender > 0)
        try await chrome.waitFor("document.querySelector('tr[data-connector=\"src\"] .cstate').textContent === 'RUNNING'")
        try await chrome.waitFor("document.querySelector('tr[data-connector=\"broken\"] .tasks').textContent.includes('FAILED')")
        // Rates need two scrapes with records in between.
        try await chrome.waitFor("parseFloat(document.querySelector('tr[data-connector=\"src\"] .rate-out').textContent) > 0", timeout: 20)
        try await chrome.waitFor("parseFloat(document.querySelector('tr[data-connector=\"sink\"] .rate-out').textContent) > 0", timeout: 20)
        let workerId = try await w.get("/connectors/src/status").body?["tasks"]?.arrayValue?.first?["worker_id"]?.stringValue ?? "?"
        #expect(try await chrome.text("tr[data-connector=\"src\"] .workers") == workerId)
        #expect(try await chrome.text("#workers")?.contains(workerId) == true)
        #expect(try await chrome.text("#workers")?.contains("src-0") == true)
        #expect(try await chrome.text("tr[data-connector=\"src\"] .tasks")?.contains("RUNNING 1") == true)
        try await chrome.screenshot(to: shots + "/overview.png")

        // Connector page: masked secret, tasks, offsets, topics, sparkline.
        try await chrome.navigate(w.base + "/ui/#/connector/src")
        try await chrome.waitFor("document.body.dataset.view === 'connector' && document.querySelector('#tasks tr[data-task=\"0\"] .tstate')")
        try await chrome.waitFor("document.querySelector('#offsets') && document.querySelector('#topics')")
        #expect(try await chrome.text("#config tr[data-key=\"db.password\"] td:last-child") == "[hidden]")
        #expect(try await chrome.eval("document.body.textContent.includes('s3cret-value')").boolValue == false)
        #expect(try await chrome.text("#topics")?.contains("lines") == true)
        #expect(try await chrome.text("#offsets")?.contains(input) == true)
        // A few samples so the sparkline has a shape in the screenshot.
        try await chrome.waitFor("document.querySelectorAll('svg.spark polyline').length === 2 && document.querySelector('svg.spark polyline').getAttribute('points').split(' ').length >= 3")
        #expect(try await chrome.eval("document.querySelector('main').textContent.includes('null')").boolValue == false)
        try await chrome.screenshot(to: shots + "/connector.png")

        // Pause and resume from the page: the worker's status follows.
        try await chrome.click("#act-pause")
        try await w.waitForState("src", "PAUSED")
        try await chrome.waitFor("document.querySelector('#connector-state').textContent === 'PAUSED'")
        try await chrome.click("#act-resume")
        try await w.waitForState("src", "RUNNING")
        try await chrome.waitFor("document.querySelector('#connector-state').textContent === 'RUNNING'")

        // The failed task's trace, then restart with onlyFailed, then delete behind a confirmation.
        try await chrome.navigate(w.base + "/ui/#/connector/broken")
        try await chrome.waitFor("document.querySelector('#tasks pre.trace')")
        #expect(try await chrome.text("#tasks pre.trace")?.isEmpty == false)
        try await chrome.click("#opt-include-tasks")
        try await chrome.click("#opt-only-failed")
        try await chrome.click("#act-restart")
        try await chrome.waitFor("document.querySelector('#flash').textContent.includes('restart broken')")
        try await chrome.click("#act-delete")
        try await chrome.waitFor("document.querySelector('#confirm-yes')")
        #expect(try await w.get("/connectors/broken").status == 200, "nothing is deleted before the confirmation")
        try await chrome.click("#confirm-yes")
        try await waitUntil(timeout: 10, "broken deleted") { (try? await w.get("/connectors/broken").status) == 404 }
        try await chrome.waitFor("document.body.dataset.view === 'overview' && !document.querySelector('tr[data-connector=\"broken\"]')")

        // Create: a validation error is shown on its key; fixed, the connector is created.
        try await chrome.navigate(w.base + "/ui/#/new")
        try await chrome.waitFor("document.body.dataset.view === 'new' && document.querySelector('#editor')")
        let bad = #"{"name":"made","config":{"connector.class":"FileStreamSource","file":"\#(input)","topic":"made","batch.size":"lots"}}"#
        _ = try await chrome.eval("document.querySelector('#editor').value = \(JSONValue.string(bad).compactString)")
        try await chrome.click("#validate")
        try await chrome.waitFor("document.querySelector('#validation-table tr.has-error[data-key=\"batch.size\"]')")
        #expect(try await chrome.text("#validation-table tr[data-key=\"batch.size\"] td.err")?.isEmpty == false)
        #expect(try await chrome.eval("document.querySelectorAll('#validation-table tr.has-error').length").int64Value == 1)
        try await chrome.screenshot(to: shots + "/validate.png")
        _ = try await chrome.eval("document.querySelector('#editor').value = \(JSONValue.string(bad.replacingOccurrences(of: "lots", with: "50")).compactString)")
        try await chrome.click("#save")
        try await waitUntil(timeout: 10, "made created") { (try? await w.get("/connectors/made").status) == 200 }
        try await chrome.waitFor("document.body.dataset.view === 'connector' && document.querySelector('#act-stop')")
        // Stop asks first, like delete.
        try await chrome.click("#act-stop")
        try await chrome.waitFor("document.querySelector('#confirm-yes')")
        try await chrome.click("#confirm-yes")
        try await waitUntil(timeout: 10, "made stopped") {
            (try? await w.get("/connectors/made/status"))?.body?["connector"]?["state"]?.stringValue == "STOPPED"
        }
        try await chrome.waitFor("document.querySelector('#connector-state').textContent === 'STOPPED'")

        // Edit: the secret shows as [hidden] and is kept; the changed key is stored.
        try await chrome.navigate(w.base + "/ui/#/edit/src")
        try await chrome.waitFor("document.body.dataset.view === 'edit' && document.querySelector('#editor').value.includes('[hidden]')")
        #expect(try await chrome.eval("document.querySelector('#editor').value.includes('s3cret-value')").boolValue == false)
        _ = try await chrome.eval("(t => { const d = JSON.parse(t.value); d.config['batch.size'] = '77'; t.value = JSON.stringify(d); })(document.querySelector('#editor'))")
        try await chrome.click("#save")
        try await waitUntil(timeout: 10, "src updated") { (try? await w.get("/connectors/src/config").body?["batch.size"]?.stringValue) == "77" }
        let stored = try await w.get("/connectors/src/config").body
        #expect(stored?["db.password"]?.stringValue == "s3cret-value" || stored?["db.password"]?.stringValue == "[hidden]")

        // No JavaScript exception, console error or CSP violation along the way.
        #expect(chrome.errors.isEmpty, "\(chrome.errors)")
        // The collector itself sees an uncaught exception (so the empty list above means something).
        _ = try await chrome.eval("setTimeout(() => { throw new Error('probe-exception') }, 0); true")
        try await waitUntil(timeout: 5, "probe exception reported") { chrome.errors.contains { $0.contains("probe-exception") } }
        print("console screenshots: \(shots)/overview.png \(shots)/connector.png \(shots)/validate.png")
        feeder.cancel()
        chrome.quit()
        await w.shutdown()
    }

    /// Distributed mode: the overview lists each worker with the tasks it runs, as the status topic says.
    @Test func consoleShowsWhichWorkerRunsWhichTask() async throws {
        guard HeadlessChromium.binary() != nil else {
            Issue.record("chromium is not installed: run scripts/install-deps.sh")
            return
        }
        var c = try DistributedTests.Cluster()
        defer { c.stopAll() }
        for i in 1...2 { try c.start(i) }
        for i in 1...2 {
            try await waitUntil(timeout: 60, "worker \(i) healthy") { (try? await DistributedTests.call("GET", "\(c.url(i))/health"))?.0 == 200 }
        }
        let created = try await DistributedTests.call("POST", "\(c.url(1))/connectors",
            #"{"name":"sink","config":{"connector.class":"FileStreamSink","topics":"dist","tasks.max":"4","file":"\#(c.dir.file("out.txt"))"}}"#)
        #expect(created.0 == 201)
        let cluster = c
        try await waitUntil(timeout: 90, "tasks spread 2/2") {
            let s = await DistributedTests.spread(cluster, via: 2, tasks: 4)
            return s?.count == 2 && s?.values.allSatisfy { $0 == 2 } == true
        }
        let status = try await DistributedTests.call("GET", "\(c.url(2))/connectors/sink/status").1
        let owners = (status?["tasks"]?.arrayValue ?? []).map { ($0["id"]?.int64Value ?? -1, $0["worker_id"]?.stringValue ?? "") }

        let profile = try TemporaryDirectory(prefix: "sluice-chromium")
        let chrome = try HeadlessChromium(userDataDir: profile.path)
        defer { chrome.quit() }
        try await chrome.open(c.url(2) + "/ui/")
        try await chrome.waitFor("document.querySelectorAll('#workers tbody tr').length === 2 && document.querySelector('#workers').textContent.includes('sink-3')")
        for (id, worker) in owners {
            // The row of the worker that runs task `id` names it.
            let row = try await chrome.eval("[...document.querySelectorAll('#workers tbody tr')].filter(r => r.cells[0].textContent === \(JSONValue.string(worker).compactString)).map(r => r.cells[1].textContent).join('')").stringValue ?? ""
            #expect(row.contains("sink-\(id) ") || row.hasSuffix("sink-\(id)"), "worker \(worker) row: \(row)")
        }
        let shots = Self.repo.appendingPathComponent(".build/console-screenshots").path
        try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)
        try await chrome.screenshot(to: shots + "/overview-distributed.png")
        print("console screenshot: \(shots)/overview-distributed.png")
        #expect(chrome.errors.isEmpty, "\(chrome.errors)")
        chrome.quit()
    }
}

/// Hands a redirect back to the test instead of following it.
final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
