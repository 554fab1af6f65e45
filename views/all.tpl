% rebase('base')
<h1>{{guide.title}}</h1>
% if guide.description:
<p class="lead">{{guide.description}}</p>
% end
<nav class="page-toc" aria-label="Pages">
<h2>Pages</h2>
<ol>
% for page, html in sections:
  <li><a href="#{{page.slug}}">{{page.title}}</a></li>
% end
</ol>
</nav>
% for page, html in sections:
<section class="all-section" id="{{page.slug}}" aria-labelledby="{{page.slug}}--title">
<h2 id="{{page.slug}}--title">{{page.title}}</h2>
{{!html}}
</section>
% end
