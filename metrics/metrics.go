// Package metrics counts what the bot does, in the Prometheus text format
// (served at /metrics by `twinbot run`), with a registry of its own. No
// label ever carries a user id, a chat id or message text: labels are
// adapters, intents, languages, platforms, error kinds and results, all
// from small fixed sets.
package metrics

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is the set of the bot's metrics. Its methods are safe for
// concurrent use; a nil *Metrics counts nothing.
type Metrics struct {
	reg *prometheus.Registry
	now func() time.Time

	messages    *prometheus.CounterVec
	answers     *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	feedback    *prometheus.CounterVec
	handovers   *prometheus.CounterVec
	apiRequests *prometheus.CounterVec
	apiErrors   *prometheus.CounterVec
	retries     *prometheus.CounterVec
	broadcast   *prometheus.CounterVec
	reloads     *prometheus.CounterVec
	reloadTime  prometheus.Histogram
	kbLoaded    prometheus.Gauge

	mu       sync.Mutex
	loadedAt time.Time
}

// New builds the metrics on a new registry, with the Go runtime's and the
// process's own metrics. now is the clock (nil: time.Now).
func New(now func() time.Time) *Metrics {
	if now == nil {
		now = time.Now
	}
	m := &Metrics{reg: prometheus.NewRegistry(), now: now}
	m.messages = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "twinbot_messages_total", Help: "Messages received, by adapter.",
	}, []string{"adapter"})
	m.answers = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "twinbot_answers_total", Help: `Answers given, by kind (the intent understood; "unknown" is "I don't know") and language.`,
	}, []string{"kind", "lang"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "twinbot_answer_duration_seconds", Help: "Time to compose an answer, by adapter.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"adapter"})
	m.feedback = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "twinbot_feedback_total", Help: "Answers residents marked helpful (up) or not (down).",
	}, []string{"vote"})
	m.handovers = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "twinbot_handovers_total", Help: "Questions handed to a person, by step (asked, forwarded, answered).",
	}, []string{"step"})
	m.apiRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "twinbot_platform_api_requests_total", Help: "Calls to a platform's API, by platform.",
	}, []string{"platform"})
	m.apiErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "twinbot_platform_api_errors_total", Help: `Failed calls to a platform's API, by kind: "429", "5xx", "4xx", "network".`,
	}, []string{"platform", "kind"})
	m.retries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "twinbot_platform_api_retries_total", Help: "Calls to a platform's API repeated after a failure.",
	}, []string{"platform"})
	m.broadcast = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "twinbot_broadcast_messages_total", Help: `Announcements handed to a platform, by result ("sent", "failed"); the rate is the pace.`,
	}, []string{"platform", "result"})
	m.reloads = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "twinbot_knowledge_reloads_total", Help: `Knowledge-base reloads, by result ("ok", "failed").`,
	}, []string{"result"})
	m.reloadTime = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "twinbot_knowledge_reload_duration_seconds", Help: "Time to load and validate a knowledge base.",
		Buckets: []float64{.01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	})
	m.kbLoaded = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "twinbot_knowledge_loaded_timestamp_seconds", Help: "When the knowledge base in use was loaded (Unix time).",
	})
	age := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "twinbot_knowledge_age_seconds", Help: "Seconds since the knowledge base in use was loaded.",
	}, func() float64 {
		m.mu.Lock()
		defer m.mu.Unlock()
		if m.loadedAt.IsZero() {
			return 0
		}
		return m.now().Sub(m.loadedAt).Seconds()
	})
	m.reg.MustRegister(m.messages, m.answers, m.latency, m.feedback, m.handovers, m.apiRequests, m.apiErrors,
		m.retries, m.broadcast, m.reloads, m.reloadTime, m.kbLoaded, age,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry is the registry the metrics are on (tests gather from it).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Message counts a message received on adapter.
func (m *Metrics) Message(adapter string) {
	if m == nil {
		return
	}
	m.messages.WithLabelValues(label(adapter)).Inc()
}

// Answered counts an answer of kind (its intent) in lang and how long it
// took.
func (m *Metrics) Answered(adapter, kind, lang string, d time.Duration) {
	if m == nil {
		return
	}
	m.answers.WithLabelValues(label(kind), label(lang)).Inc()
	m.latency.WithLabelValues(label(adapter)).Observe(d.Seconds())
}

// Feedback counts a vote ("up" or "down") on an answer.
func (m *Metrics) Feedback(vote string) {
	if m == nil {
		return
	}
	m.feedback.WithLabelValues(label(vote)).Inc()
}

// Handover counts a step of a hand-over to a person.
func (m *Metrics) Handover(step string) {
	if m == nil {
		return
	}
	m.handovers.WithLabelValues(label(step)).Inc()
}

// Broadcast counts an announcement handed to platform: sent or failed.
func (m *Metrics) Broadcast(platform string, err error) {
	if m == nil {
		return
	}
	res := "sent"
	if err != nil {
		res = "failed"
	}
	m.broadcast.WithLabelValues(label(platform), res).Inc()
}

// Reloaded counts a knowledge-base load that took d; a successful one
// becomes the loaded knowledge base's time.
func (m *Metrics) Reloaded(err error, d time.Duration) {
	if m == nil {
		return
	}
	m.reloadTime.Observe(d.Seconds())
	if err != nil {
		m.reloads.WithLabelValues("failed").Inc()
		return
	}
	m.reloads.WithLabelValues("ok").Inc()
	m.Loaded()
}

// Loaded records that a knowledge base was loaded now (the first one, at
// start, is not a reload).
func (m *Metrics) Loaded() {
	if m == nil {
		return
	}
	now := m.now()
	m.mu.Lock()
	m.loadedAt = now
	m.mu.Unlock()
	m.kbLoaded.Set(float64(now.UnixNano()) / 1e9)
}

// Counts registers gauges read at each scrape from f (the database):
// name_help describes them, and f returns a value per label value.
func (m *Metrics) Counts(name, help, labelName string, f func(ctx context.Context) (map[string]int, error)) {
	m.reg.MustRegister(&countsCollector{desc: prometheus.NewDesc(name, help, []string{labelName}, nil), f: f})
}

type countsCollector struct {
	desc *prometheus.Desc
	f    func(ctx context.Context) (map[string]int, error)
}

func (c *countsCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *countsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := c.f(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	for k, v := range counts {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(v), label(k))
	}
}

// label keeps label values short and never empty.
func label(s string) string {
	if s == "" {
		return "none"
	}
	if len(s) > 32 {
		return s[:32]
	}
	return s
}
