/// The one stylesheet: plain, high-contrast, after the KERN and GOV.UK patterns (visible focus, large targets,
/// error colours with text, not colour alone), and an A4 print layout without navigation or buttons.
enum Stylesheet {
    static let css = """
        :root { --text: #1b1b1b; --muted: #4a4a4a; --link: #0b4f8a; --focus: #ffbf47; --error: #b00020; --line: #8a8a8a;
          --panel: #f3f4f6; --accent: #003064; --ok: #0a6b2d; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 1rem/1.5 "Fira Sans", "Segoe UI", Arial, sans-serif; color: var(--text); background: #fff; }
        a { color: var(--link); text-underline-offset: 0.15em; }
        a:focus, button:focus, input:focus, select:focus, textarea:focus, summary:focus, main:focus-visible {
          outline: 3px solid var(--focus); outline-offset: 0; box-shadow: 0 0 0 5px var(--text); }
        .skip-link { position: absolute; left: -9999px; }
        .skip-link:focus { position: static; display: block; padding: 0.5rem 1rem; background: var(--focus); color: var(--text); }
        header.site { background: var(--accent); color: #fff; padding: 0.5rem 1.5rem; display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem;
          align-items: center; }
        header.site a { color: #fff; }
        .site-title { font-weight: 700; font-size: 1.15rem; margin: 0; }
        header.site .user { margin: 0 0 0 auto; }
        header.site nav { flex-basis: 100%; }
        header.site nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 1.25rem; }
        form.logout { margin: 0; }
        main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
        h1 { font-size: 1.75rem; line-height: 1.25; margin: 1rem 0; }
        h2 { font-size: 1.35rem; margin: 2rem 0 0.75rem; }
        h3 { font-size: 1.1rem; margin: 0 0 0.5rem; }
        .ticket-id { white-space: nowrap; color: var(--muted); }
        table.list { border-collapse: collapse; width: 100%; }
        table.list th, table.list td { text-align: left; vertical-align: top; padding: 0.5rem; border-bottom: 1px solid var(--line); }
        table.list thead th { border-bottom: 2px solid var(--text); }
        table.list th[scope=row] { white-space: nowrap; font-weight: 400; }
        .overdue { color: var(--error); }
        td.date { white-space: nowrap; }
        tr.is-overdue th[scope=row] { border-left: 5px solid var(--error); }
        dl.facts { margin: 0; display: grid; grid-template-columns: minmax(10rem, 16rem) 1fr; }
        dl.facts > div { display: contents; }
        dl.facts dt { font-weight: 700; padding: 0.35rem 1rem 0.35rem 0; border-bottom: 1px solid #d0d0d0; }
        dl.facts dd { margin: 0; padding: 0.35rem 0; border-bottom: 1px solid #d0d0d0; }
        dd.text { white-space: pre-wrap; overflow-wrap: anywhere; }
        .field { margin: 0 0 1.25rem; }
        label, legend { display: block; font-weight: 700; margin-bottom: 0.25rem; }
        .checkbox { display: flex; gap: 0.5rem; align-items: flex-start; margin: 0.35rem 0; }
        .checkbox label { font-weight: 400; margin: 0; }
        .checkbox input { width: 1.5rem; height: 1.5rem; margin: 0; }
        fieldset { border: 0; padding: 0; margin: 0; }
        legend { padding: 0; }
        .optional { font-weight: 400; color: var(--muted); }
        .hint { color: var(--muted); margin-bottom: 0.35rem; }
        input[type=text], input[type=password], input[type=number], input[type=date], input[type=search], select, textarea {
          font: inherit; width: 100%; max-width: 40rem; padding: 0.4rem; border: 2px solid var(--text); border-radius: 0; background: #fff; }
        input[type=number], input[type=date] { max-width: 14rem; }
        input[type=text], input[type=password], input[type=number], input[type=date], input[type=search], select { height: 2.75rem; }
        input[type=checkbox] { accent-color: var(--accent); }
        .field-error { border-left: 5px solid var(--error); padding-left: 0.75rem; }
        .field-error input, .field-error select, .field-error textarea { border-color: var(--error); }
        .error-message { color: var(--error); font-weight: 700; margin: 0 0 0.35rem; }
        .error-summary { border: 5px solid var(--error); padding: 1rem 1.25rem; margin: 1rem 0 1.5rem; }
        .error-summary h2, .error-summary h1 { margin-top: 0; font-size: 1.35rem; }
        .error-summary a { color: var(--error); font-weight: 700; }
        .notice { border-left: 5px solid var(--ok); background: var(--panel); padding: 0.75rem 1rem; margin: 1rem 0; }
        button { font: inherit; font-weight: 700; padding: 0.5rem 1.25rem; border: 2px solid var(--accent); background: var(--accent);
          color: #fff; cursor: pointer; }
        button.secondary { background: #fff; color: var(--accent); border-color: #fff; }
        .report figure { margin: 1rem 0; }
        .report svg { max-width: 100%; height: auto; }
        .report table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
        .report th, .report td { text-align: left; padding: 0.35rem 0.75rem 0.35rem 0; border-bottom: 1px solid var(--line); }
        ul.similar { list-style: none; padding: 0; }
        ul.similar li { border-left: 3px solid var(--line); padding: 0.25rem 0 0.25rem 1rem; margin-bottom: 1rem; }
        ul.similar p { margin: 0.1rem 0; }
        button.secondary-action { background: #fff; color: var(--accent); }
        section.action { border: 1px solid var(--line); padding: 1rem 1.25rem; margin: 0 0 1rem; background: #fff; }
        ol.timeline { list-style: none; padding: 0; margin: 0; border-left: 3px solid var(--line); }
        ol.timeline li { padding: 0 0 1rem 1rem; }
        ol.timeline p { margin: 0.1rem 0; }
        .when, .who { color: var(--muted); }
        form.filters { display: flex; flex-wrap: wrap; gap: 0 1rem; align-items: flex-end; background: var(--panel); padding: 1rem; }
        form.filters .field { margin-bottom: 0.5rem; }
        form.filters select, form.filters input[type=search] { width: auto; min-width: 12rem; }
        .compare { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5rem; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        @media (max-width: 40rem) { .compare { grid-template-columns: 1fr; } dl.facts { grid-template-columns: 1fr; } }
        @media print {
          @page { size: A4; margin: 18mm 16mm; }
          body { font-size: 10.5pt; }
          header.site nav, form.logout, .skip-link, section.action, form.filters, .pagination, button { display: none; }
          header.site { background: none; color: #000; padding: 0; }
          header.site a { color: #000; text-decoration: none; }
          main { max-width: none; padding: 0; }
          a { color: #000; }
          details { display: block; }
          tr, li, dl.facts > div { break-inside: avoid; }
        }
        """
}
