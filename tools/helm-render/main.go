// helm-render renders a Helm 3 chart the way `helm template` does, for machines without a helm
// binary (this project's CI). It is built from the libraries Helm itself renders with: Go's
// text/template, sprig v3 (Helm's function library) and sigs.k8s.io/yaml (Helm's YAML), plus a
// re-implementation of the functions and objects Helm adds: include, tpl, required, toYaml,
// fromYaml, fromYamlArray, toJson, fromJson, fromJsonArray, lookup (empty, as in `helm template`),
// .Values (values.yaml coalesced with -f files, null deleting a key), .Release, .Chart,
// .Capabilities (KubeVersion, APIVersions.Has), .Template and .Files (Get, GetBytes, Lines).
//
// It must never be mistaken for Helm: what it leaves out (subcharts and dependencies, --set
// parsing, .helmignore, values.schema.json validation, toToml, hook ordering, post-renderers, any
// cluster access) is listed in README.md beside this file. When a real helm is on PATH the chart's
// tests use it instead.
//
// Build (GOPATH mode, Debian's packaged sources, no module download):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o helm-render ./tools/helm-render
//
// Usage mirrors `helm template NAME CHART`:
//
//	helm-render --name media-ai --namespace ai -f values-prod.yaml --api-versions monitoring.coreos.com/v1 charts/media-ai
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"text/template"

	// sprig v3 and semver v3 under their GOPATH names: Debian installs them without the /v3 suffix.
	"github.com/Masterminds/semver"
	"github.com/Masterminds/sprig"
	"sigs.k8s.io/yaml"
)

// Like Helm: a named template may include itself this many times before rendering fails.
const recursionMaxNums = 1000

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// metadata is Helm's chart.Metadata: the fields .Chart exposes, capitalised as in Helm.
type metadata struct {
	Name         string            `json:"name,omitempty"`
	Home         string            `json:"home,omitempty"`
	Sources      []string          `json:"sources,omitempty"`
	Version      string            `json:"version,omitempty"`
	Description  string            `json:"description,omitempty"`
	Keywords     []string          `json:"keywords,omitempty"`
	Maintainers  []interface{}     `json:"maintainers,omitempty"`
	Icon         string            `json:"icon,omitempty"`
	APIVersion   string            `json:"apiVersion,omitempty"`
	Condition    string            `json:"condition,omitempty"`
	Tags         string            `json:"tags,omitempty"`
	AppVersion   string            `json:"appVersion,omitempty"`
	Deprecated   bool              `json:"deprecated,omitempty"`
	Annotations  map[string]string `json:"annotations,omitempty"`
	KubeVersion  string            `json:"kubeVersion,omitempty"`
	Dependencies []interface{}     `json:"dependencies,omitempty"`
	Type         string            `json:"type,omitempty"`
}

type kubeVersion struct {
	Version    string
	Major      string
	Minor      string
	GitVersion string
}

func (k kubeVersion) String() string { return k.Version }

// versionSet is Helm's chartutil.VersionSet: "group/version" and "group/version/Kind" entries.
type versionSet []string

func (v versionSet) Has(apiVersion string) bool {
	for _, x := range v {
		if x == apiVersion {
			return true
		}
	}
	return false
}

type capabilities struct {
	KubeVersion kubeVersion
	APIVersions versionSet
	HelmVersion map[string]string
}

// builtinAPIVersions: the built-in group/versions of a 1.30 API server that charts commonly test for.
// Custom resources (KEDA, the Prometheus operator) are absent, as in `helm template`: add them with
// --api-versions, as with helm.
var builtinAPIVersions = []string{
	"v1", "apps/v1", "batch/v1", "autoscaling/v1", "autoscaling/v2", "policy/v1",
	"networking.k8s.io/v1", "rbac.authorization.k8s.io/v1", "storage.k8s.io/v1",
	"scheduling.k8s.io/v1", "coordination.k8s.io/v1", "discovery.k8s.io/v1", "node.k8s.io/v1",
	"admissionregistration.k8s.io/v1", "apiextensions.k8s.io/v1", "certificates.k8s.io/v1",
	"events.k8s.io/v1", "flowcontrol.apiserver.k8s.io/v1", "apiregistration.k8s.io/v1",
	"apps/v1/Deployment", "apps/v1/StatefulSet", "apps/v1/DaemonSet", "batch/v1/Job", "batch/v1/CronJob",
	"autoscaling/v2/HorizontalPodAutoscaler", "policy/v1/PodDisruptionBudget",
	"networking.k8s.io/v1/NetworkPolicy", "networking.k8s.io/v1/Ingress",
}

// files is .Files: the chart's files outside templates/ (Get, GetBytes, Lines as in Helm).
type files map[string][]byte

func (f files) GetBytes(name string) []byte { return f[name] }
func (f files) Get(name string) string      { return string(f[name]) }
func (f files) Lines(name string) []string {
	if f[name] == nil {
		return []string{}
	}
	return strings.Split(string(f[name]), "\n")
}

type options struct {
	chartDir    string
	releaseName string
	namespace   string
	valueFiles  stringList
	apiVersions stringList
	kubeVersion string
	strict      bool
	isUpgrade   bool
	notesOut    string
	showOnly    stringList
}

func main() {
	var o options
	flag.StringVar(&o.releaseName, "name", "release-name", "release name (helm template's default: release-name)")
	flag.StringVar(&o.namespace, "namespace", "default", "release namespace")
	flag.Var(&o.valueFiles, "f", "values file (repeatable; later files win)")
	flag.Var(&o.valueFiles, "values", "values file (repeatable; later files win)")
	flag.Var(&o.apiVersions, "api-versions", "extra API version for .Capabilities.APIVersions (repeatable)")
	flag.StringVar(&o.kubeVersion, "kube-version", "v1.30.0", "Kubernetes version for .Capabilities.KubeVersion")
	flag.BoolVar(&o.strict, "strict", false, "fail on a reference to a missing value (helm lint --strict's missingkey=error)")
	flag.BoolVar(&o.isUpgrade, "is-upgrade", false, "set .Release.IsUpgrade instead of .Release.IsInstall")
	flag.StringVar(&o.notesOut, "notes-out", "", "write the rendered NOTES.txt to this file")
	flag.Var(&o.showOnly, "show-only", "only print manifests from this template path (repeatable)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: helm-render [flags] CHART_DIR")
		flag.PrintDefaults()
		os.Exit(2)
	}
	o.chartDir = flag.Arg(0)
	out, err := render(o)
	if err != nil {
		fmt.Fprintf(os.Stderr, "Error: %s\n", err)
		os.Exit(1)
	}
	os.Stdout.WriteString(out)
}

func readYAMLMap(file string) (map[string]interface{}, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	m := map[string]interface{}{}
	if err := yaml.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("failed to parse %s: %w", file, err)
	}
	if m == nil {
		m = map[string]interface{}{}
	}
	return m, nil
}

// coalesce lays user values over the chart's defaults as Helm's CoalesceValues does: maps merge
// key by key, anything else replaces, and a null deletes the default.
func coalesce(user, defaults map[string]interface{}) map[string]interface{} {
	out := map[string]interface{}{}
	for k, v := range defaults {
		out[k] = v
	}
	for k, v := range user {
		if v == nil {
			delete(out, k)
			continue
		}
		um, uok := v.(map[string]interface{})
		dm, dok := out[k].(map[string]interface{})
		if uok && dok {
			out[k] = coalesce(um, dm)
			continue
		}
		out[k] = v
	}
	return out
}

// stripNulls removes null leaves the chart's own values.yaml holds, as Helm does on coalescing.
func stripNulls(m map[string]interface{}) map[string]interface{} {
	for k, v := range m {
		if v == nil {
			delete(m, k)
		} else if sub, ok := v.(map[string]interface{}); ok {
			stripNulls(sub)
		}
	}
	return m
}

func parseKubeVersion(v string) (kubeVersion, error) {
	sv, err := semver.NewVersion(v)
	if err != nil {
		return kubeVersion{}, fmt.Errorf("invalid --kube-version %q: %w", v, err)
	}
	s := "v" + sv.String()
	return kubeVersion{Version: s, GitVersion: s, Major: fmt.Sprint(sv.Major()), Minor: fmt.Sprint(sv.Minor())}, nil
}

func render(o options) (string, error) {
	md := &metadata{}
	chartYAML, err := os.ReadFile(filepath.Join(o.chartDir, "Chart.yaml"))
	if err != nil {
		return "", err
	}
	if err := yaml.Unmarshal(chartYAML, md); err != nil {
		return "", fmt.Errorf("Chart.yaml: %w", err)
	}
	if md.APIVersion != "v2" || md.Name == "" || md.Version == "" {
		return "", errors.New("Chart.yaml: apiVersion v2, name and version are required")
	}
	if _, err := semver.StrictNewVersion(md.Version); err != nil {
		return "", fmt.Errorf("Chart.yaml: version %q is not SemVer 2: %w", md.Version, err)
	}
	kv, err := parseKubeVersion(o.kubeVersion)
	if err != nil {
		return "", err
	}
	if md.KubeVersion != "" {
		c, err := semver.NewConstraint(md.KubeVersion)
		if err != nil {
			return "", fmt.Errorf("Chart.yaml: kubeVersion %q: %w", md.KubeVersion, err)
		}
		if !c.Check(semver.MustParse(kv.Version)) {
			return "", fmt.Errorf("chart requires kubeVersion: %s which is incompatible with Kubernetes %s", md.KubeVersion, kv.Version)
		}
	}

	values, err := readYAMLMap(filepath.Join(o.chartDir, "values.yaml"))
	if err != nil {
		return "", err
	}
	for _, f := range o.valueFiles {
		user, err := readYAMLMap(f)
		if err != nil {
			return "", err
		}
		values = coalesce(user, values)
	}
	values = stripNulls(values)

	templates := map[string]string{}
	chartFiles := files{}
	err = filepath.WalkDir(o.chartDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(o.chartDir, p)
		rel = filepath.ToSlash(rel)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.HasPrefix(rel, "templates/") {
			templates[path.Join(md.Name, rel)] = string(data)
		} else if rel != "Chart.yaml" && rel != "values.yaml" && rel != "values.schema.json" {
			chartFiles[rel] = data
		}
		return nil
	})
	if err != nil {
		return "", err
	}

	apiVersions := append(versionSet{}, builtinAPIVersions...)
	apiVersions = append(apiVersions, o.apiVersions...)
	top := map[string]interface{}{
		"Values": values,
		"Chart":  md,
		"Release": map[string]interface{}{
			"Name": o.releaseName, "Namespace": o.namespace, "Revision": 1,
			"IsUpgrade": o.isUpgrade, "IsInstall": !o.isUpgrade, "Service": "Helm",
		},
		"Capabilities": &capabilities{KubeVersion: kv, APIVersions: apiVersions, HelmVersion: map[string]string{"Version": "v3-compatible (helm-render)"}},
		"Files":        chartFiles,
	}

	names := make([]string, 0, len(templates))
	for name := range templates {
		names = append(names, name)
	}
	sort.Strings(names)

	root := template.New("gotpl")
	if o.strict {
		root.Option("missingkey=error")
	} else {
		root.Option("missingkey=zero")
	}
	includedNames := map[string]int{}
	root.Funcs(funcMap(root, includedNames, o.strict))
	for _, name := range names {
		if _, err := root.New(name).Parse(templates[name]); err != nil {
			return "", cleanupParseError(err)
		}
	}

	basePath := path.Join(md.Name, "templates")
	var out strings.Builder
	for _, name := range names {
		base := path.Base(name)
		if strings.HasPrefix(base, "_") {
			continue
		}
		vals := map[string]interface{}{}
		for k, v := range top {
			vals[k] = v
		}
		vals["Template"] = map[string]interface{}{"Name": name, "BasePath": basePath}
		var buf strings.Builder
		if err := root.ExecuteTemplate(&buf, name, vals); err != nil {
			return "", cleanupExecError(name, err)
		}
		// Helm's own hack: with missingkey=zero an absent value prints "<no value>".
		rendered := strings.ReplaceAll(buf.String(), "<no value>", "")
		if base == "NOTES.txt" {
			if o.notesOut != "" {
				if err := os.WriteFile(o.notesOut, []byte(rendered), 0o644); err != nil {
					return "", err
				}
			}
			continue
		}
		if len(o.showOnly) > 0 && !contains(o.showOnly, name) && !contains(o.showOnly, strings.TrimPrefix(name, md.Name+"/")) {
			continue
		}
		for _, doc := range splitManifests(rendered) {
			// Helm reads every manifest's head; YAML it cannot parse fails the release.
			var head map[string]interface{}
			if err := yaml.Unmarshal([]byte(doc), &head); err != nil {
				return "", fmt.Errorf("YAML parse error on %s: %w", name, err)
			}
			fmt.Fprintf(&out, "---\n# Source: %s\n%s\n", name, doc)
		}
	}
	return out.String(), nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var sep = regexp.MustCompile(`(?:^|\s*\n)---\s*`)

// splitManifests is Helm's releaseutil.SplitManifests: documents split on "---", blanks dropped.
func splitManifests(bigFile string) []string {
	var docs []string
	for _, d := range sep.Split(bigFile, -1) {
		d = strings.TrimSpace(d)
		if d == "" || isOnlyComments(d) {
			continue
		}
		docs = append(docs, d)
	}
	return docs
}

func isOnlyComments(doc string) bool {
	for _, line := range strings.Split(doc, "\n") {
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") {
			return false
		}
	}
	return true
}

func funcMap(root *template.Template, includedNames map[string]int, strict bool) template.FuncMap {
	f := sprig.TxtFuncMap()
	// Helm removes these two: a chart must not read the renderer's environment.
	delete(f, "env")
	delete(f, "expandenv")

	f["toYaml"] = toYAML
	f["fromYaml"] = fromYAML
	f["fromYamlArray"] = fromYAMLArray
	f["toJson"] = toJSON
	f["fromJson"] = fromJSON
	f["fromJsonArray"] = fromJSONArray
	f["required"] = func(warn string, val interface{}) (interface{}, error) {
		if val == nil {
			return val, errors.New(warn)
		}
		if s, ok := val.(string); ok && s == "" {
			return val, errors.New(warn)
		}
		return val, nil
	}
	// `helm template` has no cluster: lookup answers an empty object, as Helm does there.
	f["lookup"] = func(apiversion, resource, namespace, name string) (map[string]interface{}, error) {
		return map[string]interface{}{}, nil
	}
	f["include"] = includeFunc(root, includedNames)
	f["tpl"] = tplFunc(root, includedNames, strict)
	return f
}

func includeFunc(t *template.Template, includedNames map[string]int) func(string, interface{}) (string, error) {
	return func(name string, data interface{}) (string, error) {
		var buf strings.Builder
		if v, ok := includedNames[name]; ok {
			if v > recursionMaxNums {
				return "", fmt.Errorf("rendering template has a nested reference name: %s: unable to execute template", name)
			}
			includedNames[name]++
		} else {
			includedNames[name] = 1
		}
		err := t.ExecuteTemplate(&buf, name, data)
		includedNames[name]--
		return buf.String(), err
	}
}

func tplFunc(parent *template.Template, includedNames map[string]int, strict bool) func(string, interface{}) (string, error) {
	return func(text string, vals interface{}) (string, error) {
		t, err := parent.Clone()
		if err != nil {
			return "", fmt.Errorf("cannot clone template: %w", err)
		}
		if strict {
			t.Option("missingkey=error")
		} else {
			t.Option("missingkey=zero")
		}
		// As in Helm: include and tpl inside tpl see the defines parsed from the string too.
		t.Funcs(template.FuncMap{"include": includeFunc(t, includedNames), "tpl": tplFunc(t, includedNames, strict)})
		name := "tpl"
		if m, ok := vals.(map[string]interface{}); ok {
			if tm, ok := m["Template"].(map[string]interface{}); ok {
				if n, ok := tm["Name"].(string); ok {
					name = n
				}
			}
		}
		t, err = t.New(name).Parse(text)
		if err != nil {
			return "", fmt.Errorf("cannot parse template %q: %w", text, err)
		}
		var buf strings.Builder
		if err := t.Execute(&buf, vals); err != nil {
			return "", fmt.Errorf("error during tpl function execution for %q: %w", text, err)
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
}

func toYAML(v interface{}) string {
	data, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(data), "\n")
}

func fromYAML(str string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := yaml.Unmarshal([]byte(str), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func fromYAMLArray(str string) []interface{} {
	a := []interface{}{}
	if err := yaml.Unmarshal([]byte(str), &a); err != nil {
		a = []interface{}{err.Error()}
	}
	return a
}

func toJSON(v interface{}) string {
	data, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(data)
}

func fromJSON(str string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := json.Unmarshal([]byte(str), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func fromJSONArray(str string) []interface{} {
	a := []interface{}{}
	if err := json.Unmarshal([]byte(str), &a); err != nil {
		a = []interface{}{err.Error()}
	}
	return a
}

var execErrorRE = regexp.MustCompile(`^template: (.*?): executing "(.*?)" at <(.*?)>: error calling (\w+): ([\s\S]*)$`)

// cleanupExecError shortens text/template's error for required and fail to Helm's form:
// "execution error at (chart/templates/x.yaml:12:4): the message".
func cleanupExecError(name string, err error) error {
	msg := err.Error()
	// An include chain nests the same prefix: keep the innermost location and the message.
	for {
		m := execErrorRE.FindStringSubmatch(msg)
		if m == nil {
			break
		}
		loc, fn, rest := m[1], m[4], m[5]
		if inner := execErrorRE.FindStringSubmatch(rest); inner != nil {
			msg = rest
			continue
		}
		if fn == "required" || fn == "fail" {
			return fmt.Errorf("execution error at (%s): %s", loc, rest)
		}
		return fmt.Errorf("template: %s: error calling %s: %s", loc, fn, rest)
	}
	return fmt.Errorf("rendering %s: %w", name, err)
}

func cleanupParseError(err error) error {
	return fmt.Errorf("parse error: %s", bytes.TrimSpace([]byte(err.Error())))
}
